package dev.runstream.streaming.control;

import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunEvent;
import dev.runstream.streaming.entity.StreamSettings;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's stream. It is what the run's {@code SseBroadcaster} delivers to, but it queues
 * nothing: a broadcast only wakes it, and its writer copies events from the run's log after its
 * cursor, in order. So history and live events meet without gap or duplicate, a slow client costs a
 * cursor rather than a queue, and a broadcast never waits on a socket. A subscriber that falls more
 * than the backlog behind the live end is cut; it resumes with {@code Last-Event-ID}.
 */
final class Subscriber implements SseEventSink {

  private static final Logger LOG = Logger.getLogger(Subscriber.class.getName());
  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
  private static final int BATCH = 256;
  private static final int BATCHES_PER_TURN = 4;

  private final RunStream stream;
  private final Run run;
  private final SseEventSink sink;
  private final Sse sse;
  private final Executor executor;
  private final StreamSettings settings;
  private final long joinedAt;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicBoolean open = new AtomicBoolean(true);
  private volatile long cursor;
  private volatile boolean pingDue;

  Subscriber(
      RunStream stream,
      SseEventSink sink,
      Sse sse,
      long lastEventId,
      Executor executor,
      StreamSettings settings) {
    this.stream = stream;
    this.run = stream.run();
    this.sink = sink;
    this.sse = sse;
    this.executor = executor;
    this.settings = settings;
    this.cursor = lastEventId;
    this.joinedAt = run.lastEventId();
  }

  /** Called by the broadcaster: an event was appended, or a heartbeat is due. Never blocks. */
  @Override
  public CompletionStage<?> send(OutboundSseEvent signal) {
    if (!open.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException("stream closed"));
    }
    if (signal == stream.ping()) {
      pingDue = true;
    } else if (lag() > settings.subscriberBacklog()) {
      LOG.fine(() -> "cutting a subscriber of " + run.id() + ": " + lag() + " events behind");
      cut();
      return CompletableFuture.failedFuture(new IllegalStateException("subscriber too slow"));
    }
    wake();
    return DONE;
  }

  /** Called by the broadcaster when the run has ended: write what is left, then close. */
  @Override
  public void close() {
    wake();
  }

  @Override
  public boolean isClosed() {
    return !open.get();
  }

  /** Events appended since the client joined that it has not been sent yet. */
  long lag() {
    return run.lastEventId() - Math.max(cursor, joinedAt);
  }

  /** Closes the client's stream now, whatever is left to send. */
  void cut() {
    if (open.compareAndSet(true, false)) {
      try {
        sink.close();
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "closing a stream of " + run.id(), e);
      }
      stream.leave(this);
    }
  }

  void wake() {
    if (open.get() && scheduled.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
  }

  private boolean hasWork() {
    return open.get() && (pingDue || cursor < run.lastEventId());
  }

  private void drain() {
    try {
      for (int turn = 0; open.get(); turn++) {
        if (turn == BATCHES_PER_TURN) {
          executor.execute(this::drain); // others get a thread too; still scheduled
          return;
        }
        if (writeBatch()) {
          continue;
        }
        scheduled.set(false);
        if (!hasWork() || !scheduled.compareAndSet(false, true)) {
          return;
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "stream of " + run.id() + " broke", e);
      cut();
    }
  }

  /**
   * Writes {@code retry: N} (an event with empty data, which clients do not dispatch). Called on
   * the request's thread before the subscriber is registered: the response starts at once, and a
   * client that is already gone never takes a slot.
   */
  void greet() {
    write(sse.newEventBuilder().data("").reconnectDelay(settings.retryMs()).build());
  }

  /** Writes the next batch of events and a due ping; true if events were sent. */
  private boolean writeBatch() {
    List<RunEvent> events = run.eventsAfter(cursor, BATCH);
    for (RunEvent event : events) {
      write(
          sse.newEventBuilder()
              .id(Long.toString(event.id()))
              .name(event.type())
              .data(event.json())
              .build());
      cursor = event.id();
      if (event.terminal()) {
        cut();
        return false;
      }
    }
    if (pingDue) {
      pingDue = false;
      write(stream.ping());
    }
    return !events.isEmpty();
  }

  private void write(OutboundSseEvent event) {
    Object result;
    try {
      result =
          sink.send(event)
              .toCompletableFuture()
              .get(settings.writeTimeoutMs(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StreamBrokenException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new StreamBrokenException("write failed", e);
    }
    // Jersey reports a failed write as a completed stage whose value is the IOException.
    if (result instanceof Throwable failure) {
      throw new StreamBrokenException("write failed", failure);
    }
    if (sink.isClosed()) {
      throw new StreamBrokenException("client gone", null);
    }
  }

  /** The client's connection failed under a write. */
  static final class StreamBrokenException extends RuntimeException {
    StreamBrokenException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
