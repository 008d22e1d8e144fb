package dev.runstream.streaming.control;

import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunEvent;
import dev.runstream.streaming.entity.SseFrame;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A run's fan-out: its {@link SseBroadcaster} and the streams reading the run. The broadcaster
 * carries no events, only wake-ups and heartbeats: each stream's {@link StreamWriter} reads the
 * events itself from the run's log. An append broadcasts a wake-up if a stream went idle since the
 * last one (a busy stream reads every event in the log before it goes idle, so a burst of appends
 * costs one signal, not one per event: Jersey's broadcaster drops a sink whose 256 pending signals
 * were not delivered in time). The terminal event closes the broadcaster. All of this happens under
 * the run's lock, as does registering, so a stream either is registered before the end or reads the
 * end from the log.
 */
final class RunStream {

  private static final Logger LOG = Logger.getLogger(RunStream.class.getName());
  private static final int FRAMES = 32; // a power of two: the last events' frames, by id

  private final AtomicReferenceArray<SseFrame> frames = new AtomicReferenceArray<>(FRAMES);

  private final Run run;
  private final SseBroadcaster broadcaster;
  private final OutboundSseEvent wake;
  private final OutboundSseEvent ping;
  private final Set<StreamWriter> subscribers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger slotsTaken = new AtomicInteger();
  private final AtomicBoolean wakeWanted = new AtomicBoolean(true);
  private final Consumer<StreamWriter> onLeave;
  private final Consumer<RunStream> onEnd;
  private final Executor executor;
  private final Consumer<RunEvent> listener = this::committed;
  private volatile boolean closed;
  private volatile boolean ended;

  private RunStream(
      Run run,
      Sse sse,
      Executor executor,
      Consumer<StreamWriter> onLeave,
      Consumer<RunStream> onEnd) {
    this.run = run;
    this.executor = executor;
    this.broadcaster = sse.newBroadcaster();
    this.wake = sse.newEventBuilder().comment("wake").build();
    this.ping = sse.newEventBuilder().comment("ping").build();
    this.onLeave = onLeave;
    this.onEnd = onEnd;
    broadcaster.onError(this::dropped);
  }

  /**
   * The fan-out of {@code run}. {@code onLeave} hears of every stream that is cut; {@code onEnd}
   * hears once the run's end is committed, unless it already is when this is called ({@link
   * #ended()} tells): from then on no stream joins to wait for live events, only to read what is in
   * the log.
   */
  static RunStream open(
      Run run,
      Sse sse,
      Executor executor,
      Consumer<StreamWriter> onLeave,
      Consumer<RunStream> onEnd) {
    RunStream stream = new RunStream(run, sse, executor, onLeave, onEnd);
    if (!run.listen(stream.listener)) {
      stream.ended =
          true; // the caller sees ended() (no onEnd: it may be in the middle of a map update)
      stream.broadcaster.close();
    }
    return stream;
  }

  /** Whether the run's end is committed: the broadcaster is closed. */
  boolean ended() {
    return ended;
  }

  Run run() {
    return run;
  }

  OutboundSseEvent ping() {
    return ping;
  }

  /**
   * The frame of {@code event}, encoded once for every stream of the run: the streams that keep up
   * all write the run's last few events, so those are kept (two streams that miss at once encode it
   * twice, and either copy serves).
   */
  SseFrame frame(RunEvent event) {
    int index = (int) event.id() & (FRAMES - 1);
    SseFrame frame = frames.get(index);
    if (frame == null || frame.id() != event.id()) {
      frame = SseFrame.of(event.id(), event.type(), event.json());
      frames.set(index, frame);
    }
    return frame;
  }

  int size() {
    return subscribers.size();
  }

  /** The run's stream slots taken (see {@link StreamSlots}). */
  AtomicInteger slotsTaken() {
    return slotsTaken;
  }

  void join(StreamWriter writer) {
    subscribers.add(writer);
    if (closed) { // closed while this one joined: it reconnects to the run's next stream
      writer.cut();
      return;
    }
    run.whileOpen(() -> broadcaster.register(writer.wakeUps()));
    writer.wake();
  }

  /** A stream was cut (once per stream, joined or not). */
  void leave(StreamWriter writer) {
    subscribers.remove(writer);
    onLeave.accept(writer);
  }

  /** A subscriber went idle: the next append wakes it. */
  void wantWake() {
    wakeWanted.set(true);
  }

  /** A heartbeat for every registered subscriber of a live run. */
  void heartbeat() {
    run.whileOpen(() -> broadcast(ping));
  }

  /**
   * Ends every stream now (the run is gone, or the server stops, or its clients must reconnect).
   * The run, which may go on, stops waking this stream first: its broadcaster is closed for good.
   */
  void close() {
    run.stopListening(listener);
    closed = true;
    subscribers.forEach(StreamWriter::cut);
    broadcaster.close();
  }

  /** The last of a batch of events the run committed. */
  private void committed(RunEvent event) {
    if (event.terminal()) {
      end();
    } else if (wakeWanted.compareAndSet(true, false)) {
      broadcast(wake);
    }
  }

  private void end() {
    ended = true;
    broadcaster.close(); // every subscriber is told, and writes what is left
    onEnd.accept(this);
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
   * The broadcaster gave up on a sink. A cut stream is simply gone; an open one lost its wake-ups
   * (Jersey drops a sink whose 256 pending signals were not delivered in time), so it is registered
   * again and woken: it reads what it missed from the log. Not on the calling thread, which may be
   * in the middle of a broadcast.
   */
  private void dropped(SseEventSink sink, Throwable error) {
    if (sink instanceof WakeUpSink wakeUps && !wakeUps.isClosed()) {
      LOG.fine(() -> "the broadcaster of " + run.id() + " dropped a subscriber: " + error);
      executor.execute(
          () -> {
            if (!wakeUps.isClosed()) {
              run.whileOpen(() -> broadcaster.register(wakeUps));
              wakeUps.writer().wake();
            }
          });
    }
  }
}
