package dev.runstream.streaming.control;

import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunEvent;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A run's fan-out: its {@link SseBroadcaster} and the subscribers reading it. Every append to the
 * run broadcasts a wake-up; the terminal event closes the broadcaster. Both happen under the run's
 * lock, as does registering, so a subscriber either is registered before the end or reads the end
 * from the log.
 */
final class RunStream {

  private final Run run;
  private final SseBroadcaster broadcaster;
  private final OutboundSseEvent wake;
  private final OutboundSseEvent ping;
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final Consumer<Subscriber> onLeave;
  private final Consumer<RunEvent> listener = this::appended;
  private volatile boolean closed;

  private RunStream(Run run, Sse sse, Consumer<Subscriber> onLeave) {
    this.run = run;
    this.broadcaster = sse.newBroadcaster();
    this.wake = sse.newEventBuilder().comment("wake").build();
    this.ping = sse.newEventBuilder().comment("ping").build();
    this.onLeave = onLeave;
  }

  static RunStream open(Run run, Sse sse, Consumer<Subscriber> onLeave) {
    RunStream stream = new RunStream(run, sse, onLeave);
    if (!run.listen(stream.listener)) {
      stream.broadcaster.close();
    }
    return stream;
  }

  Run run() {
    return run;
  }

  OutboundSseEvent ping() {
    return ping;
  }

  int size() {
    return subscribers.size();
  }

  void join(Subscriber subscriber) {
    subscribers.add(subscriber);
    if (closed) { // closed while this one joined: it reconnects to the run's next stream
      subscriber.cut();
      return;
    }
    run.whileOpen(() -> broadcaster.register(subscriber));
    subscriber.wake();
  }

  void leave(Subscriber subscriber) {
    if (subscribers.remove(subscriber)) {
      onLeave.accept(subscriber);
    }
  }

  /** A heartbeat for every registered subscriber of a live run. */
  void heartbeat() {
    run.whileOpen(() -> broadcaster.broadcast(ping));
  }

  /**
   * Ends every stream now (the run is gone, or the server stops, or its clients must reconnect).
   * The run, which may go on, stops waking this stream first: its broadcaster is closed for good.
   */
  void close() {
    run.stopListening(listener);
    closed = true;
    subscribers.forEach(Subscriber::cut);
    broadcaster.close();
  }

  private void appended(RunEvent event) {
    broadcaster.broadcast(wake);
    if (event.terminal()) {
      broadcaster.close();
    }
  }
}
