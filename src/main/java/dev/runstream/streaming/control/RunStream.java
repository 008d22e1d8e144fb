package dev.runstream.streaming.control;

import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunEvent;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A run's fan-out: its {@link SseBroadcaster} and the subscribers reading it. An append broadcasts
 * a wake-up if a subscriber went idle since the last one (a busy subscriber reads every event in
 * the log before it goes idle, so a burst of appends costs one signal, not one per event: Jersey's
 * broadcaster drops a sink whose 256 pending signals were not delivered in time). The terminal
 * event closes the broadcaster. All of this happens under the run's lock, as does registering, so a
 * subscriber either is registered before the end or reads the end from the log.
 */
final class RunStream {

  private static final Logger LOG = Logger.getLogger(RunStream.class.getName());

  private final Run run;
  private final SseBroadcaster broadcaster;
  private final OutboundSseEvent wake;
  private final OutboundSseEvent ping;
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger slots = new AtomicInteger();
  private final AtomicBoolean wakeWanted = new AtomicBoolean(true);
  private final Consumer<Subscriber> onLeave;
  private final Executor executor;
  private final Consumer<RunEvent> listener = this::appended;
  private volatile boolean closed;

  private RunStream(Run run, Sse sse, Executor executor, Consumer<Subscriber> onLeave) {
    this.run = run;
    this.executor = executor;
    this.broadcaster = sse.newBroadcaster();
    this.wake = sse.newEventBuilder().comment("wake").build();
    this.ping = sse.newEventBuilder().comment("ping").build();
    this.onLeave = onLeave;
    broadcaster.onError(this::dropped);
  }

  static RunStream open(Run run, Sse sse, Executor executor, Consumer<Subscriber> onLeave) {
    RunStream stream = new RunStream(run, sse, executor, onLeave);
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

  /** Takes one of at most {@code limit} subscriber slots; false if all are taken. */
  boolean reserve(int limit) {
    for (int taken = slots.get(); taken < limit; taken = slots.get()) {
      if (slots.compareAndSet(taken, taken + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Gives back a slot whose subscriber never joined. */
  void release() {
    slots.decrementAndGet();
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
      slots.decrementAndGet();
      onLeave.accept(subscriber);
    }
  }

  /** A subscriber went idle: the next append wakes it. */
  void wantWake() {
    wakeWanted.set(true);
  }

  /** A heartbeat for every registered subscriber of a live run. */
  void heartbeat() {
    run.whileOpen(() -> broadcast(ping));
  }

  /** The watchdog's round: see {@link Subscriber#check}. */
  void check(long writeDeadline) {
    subscribers.forEach(subscriber -> subscriber.check(writeDeadline));
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
    if (event.terminal()) {
      broadcaster.close(); // every subscriber is told, and writes what is left
    } else if (wakeWanted.compareAndSet(true, false)) {
      broadcast(wake);
    }
  }

  /** A broadcaster's failure must not fail an append; the watchdog wakes whoever missed it. */
  private void broadcast(OutboundSseEvent signal) {
    try {
      broadcaster.broadcast(signal);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "broadcast to the subscribers of " + run.id() + " failed", e);
    }
  }

  /**
   * The broadcaster gave up on a sink. A closed subscriber is simply gone; an open one lost its
   * wake-ups (Jersey drops a sink whose 256 pending signals were not delivered in time), so it is
   * registered again and woken: it reads what it missed from the log. Not on the calling thread,
   * which may be in the middle of a broadcast.
   */
  private void dropped(SseEventSink sink, Throwable error) {
    if (sink instanceof Subscriber subscriber && !subscriber.isClosed()) {
      LOG.fine(() -> "the broadcaster of " + run.id() + " dropped a subscriber: " + error);
      executor.execute(
          () -> {
            if (!subscriber.isClosed()) {
              run.whileOpen(() -> broadcaster.register(subscriber));
              subscriber.wake();
            }
          });
    }
  }
}
