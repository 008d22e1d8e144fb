package dev.runstream.streaming.control;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the run's {@code SseBroadcaster} delivers to for one client: it writes nothing, it wakes the
 * client's {@link StreamWriter}, which reads the events itself from the run's log. It never blocks.
 * Once the stream is cut it throws, which makes both Jersey's and RESTEasy's broadcaster drop it
 * (Jersey ignores a failed stage and would keep a closed sink until the run ends).
 */
final class WakeUpSink implements SseEventSink {

  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

  private final StreamWriter writer;
  private final OutboundSseEvent ping;

  WakeUpSink(StreamWriter writer, OutboundSseEvent ping) {
    this.writer = writer;
    this.ping = ping;
  }

  StreamWriter writer() {
    return writer;
  }

  /** An event was appended, or a heartbeat is due. */
  @Override
  public CompletionStage<?> send(OutboundSseEvent signal) {
    if (writer.isCut()) {
      throw new IllegalStateException("stream closed");
    }
    if (signal == ping) {
      writer.pingDue();
    } else if (writer.cutIfTooFarBehind()) {
      throw new IllegalStateException("subscriber too slow");
    }
    writer.wake();
    return DONE;
  }

  /** The run has ended: the writer writes what is left, then closes the stream. */
  @Override
  public void close() {
    writer.wake();
  }

  @Override
  public boolean isClosed() {
    return writer.isCut();
  }
}
