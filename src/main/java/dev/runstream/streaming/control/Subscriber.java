package dev.runstream.streaming.control;

import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunEvent;
import dev.runstream.streaming.entity.StreamSettings;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's stream. It is what the run's {@code SseBroadcaster} delivers to, but it queues
 * nothing: a broadcast only wakes it, and its writer copies events from the run's log after its
 * cursor, in order. So history and live events meet without gap or duplicate, a slow client costs a
 * cursor rather than a queue, and a broadcast never waits on a socket.
 *
 * <p>One writer runs at a time, on the container's executor. A client more than the backlog behind
 * the live end is cut; it resumes with {@code Last-Event-ID}. A write that has not finished within
 * the write timeout is cut by the registry's watchdog ({@link #check}): on Payara the writer thread
 * is blocked in Grizzly's flush, and interrupting it makes Grizzly close the connection; on WildFly
 * the write is asynchronous and no thread waits.
 */
final class Subscriber implements SseEventSink {

  private static final Logger LOG = Logger.getLogger(Subscriber.class.getName());
  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
  private static final int BATCH = 256;

  private final RunStream stream;
  private final Run run;
  private final SseEventSink sink;
  private final Sse sse;
  private final Executor executor;
  private final StreamSettings settings;
  private final long joinedAt;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final Deque<RunEvent> batch = new ArrayDeque<>(); // writer only
  private volatile long cursor;
  private volatile boolean pingDue;
  private final SinkWatch writing = new SinkWatch();
  private final SinkWatch closing = new SinkWatch();
  private volatile boolean sinkClosed;
  private volatile Pending pending; // the callback of the last asynchronous write
  private boolean retrySent; // writer only
  private boolean ending; // writer only: the terminal event is the last write

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

  /**
   * Opens the response with a comment, on the request's thread before the subscriber is registered:
   * the client has its headers at once, and one that is already gone takes no slot.
   */
  boolean greet() {
    try {
      Object result =
          sink.send(sse.newEventBuilder().comment("").build())
              .toCompletableFuture()
              .get(settings.writeTimeoutMs(), TimeUnit.MILLISECONDS);
      return !(result instanceof Throwable) && !sink.isClosed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Called by the broadcaster: an event was appended, or a heartbeat is due. Never blocks. Once the
   * stream is closed it throws, which makes both Jersey's and RESTEasy's broadcaster drop it
   * (Jersey ignores a failed stage and would keep a closed sink until the run ends).
   */
  @Override
  public CompletionStage<?> send(OutboundSseEvent signal) {
    if (!open.get()) {
      throw new IllegalStateException("stream closed");
    }
    if (signal == stream.ping()) {
      pingDue = true;
    } else if (lag() > settings.subscriberBacklog()) {
      LOG.fine(() -> "a subscriber of " + run.id() + " is " + lag() + " events behind: cut");
      cut();
      throw new IllegalStateException("subscriber too slow");
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

  /**
   * Ends the client's stream now, whatever is left to send: it leaves the run at once, and its sink
   * is closed on a stream thread (closing may wait on the client), watched like a write.
   */
  void cut() {
    if (open.compareAndSet(true, false)) {
      Pending callback = pending;
      if (callback != null) {
        callback.subscriber = null;
      }
      stream.leave(this);
      try {
        executor.execute(this::closeSink);
      } catch (RejectedExecutionException stopping) {
        closeSink(); // the application is stopping
      }
    }
  }

  private void closeSink() {
    closing.begin();
    try {
      sink.close();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "closing a stream of " + run.id(), e);
    } finally {
      closing.leave();
      closing.end();
      sinkClosed = true;
    }
  }

  /**
   * The watchdog, about once a second: cuts the stream if its write under way began before {@code
   * writeDeadline} or it has fallen more than the backlog behind, and wakes it if it is idle with
   * events to send (a wake-up the broadcaster lost).
   */
  void check(long writeDeadline) {
    if (writing.startedBefore(writeDeadline)) {
      LOG.fine(() -> "a write to a subscriber of " + run.id() + " timed out: cut");
      cut(); // the registry interrupts the write, see interruptIfStuck
    } else if (lag() > settings.subscriberBacklog()) {
      LOG.fine(() -> "a subscriber of " + run.id() + " is " + lag() + " events behind: cut");
      cut();
    } else if (!scheduled.get() && cursor < run.lastEventId()) {
      wake();
    }
  }

  /**
   * For a cut subscriber, every watchdog round until it is done: interrupts a write or close that
   * began before {@code deadline} (on Payara Grizzly then closes the connection, and Jersey's close
   * after the failed write blocks once more; on WildFly RESTEasy's close waits for its flush). True
   * when the sink is closed and no thread is left in it.
   */
  boolean interruptIfStuck(long deadline) {
    writing.interruptIfStartedBefore(deadline);
    closing.interruptIfStartedBefore(deadline);
    return sinkClosed && !writing.holdsThread() && !closing.holdsThread();
  }

  void wake() {
    if (open.get() && scheduled.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
  }

  /** Writes until nothing is left, a write is under way, or others deserve the thread. */
  private void drain() {
    try {
      for (int written = 0; open.get(); written++) {
        if (written == BATCH) {
          executor.execute(this::drain); // still scheduled: continues after others had a turn
          return;
        }
        OutboundSseEvent next = next();
        if (next == null) {
          scheduled.set(false);
          stream.wantWake(); // before the last look: an append after it will wake this one
          if (hasWork() && scheduled.compareAndSet(false, true)) {
            continue;
          }
          return;
        }
        CompletableFuture<?> write = write(next);
        if (!write.isDone()) {
          continueAfter(write);
          return;
        }
        if (!succeeded(write) || ending) {
          cut(); // a broken stream, or the end of the run
          return;
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "stream of " + run.id() + " broke", e);
      cut();
    }
  }

  /** The next frame: the next event after the cursor, else a due ping, else null. */
  private OutboundSseEvent next() {
    if (batch.isEmpty()) {
      batch.addAll(run.eventsAfter(cursor, BATCH));
    }
    RunEvent event = batch.poll();
    if (event != null) {
      cursor = event.id();
      ending = event.terminal();
      return frame(event);
    }
    if (pingDue) {
      pingDue = false;
      return stream.ping();
    }
    return null;
  }

  private OutboundSseEvent frame(RunEvent event) {
    OutboundSseEvent.Builder frame =
        sse.newEventBuilder().id(Long.toString(event.id())).name(event.type()).data(event.json());
    if (!retrySent) {
      retrySent = true;
      frame.reconnectDelay(settings.retryMs());
    }
    return frame.build();
  }

  private boolean hasWork() {
    return open.get() && (pingDue || cursor < run.lastEventId() || !batch.isEmpty());
  }

  /**
   * Writes one frame. Jersey's write returns when the frame is written, and may block on a full
   * socket meanwhile; RESTEasy's returns at once, and the write is under way until its stage
   * completes. Either way the watchdog sees how long it takes.
   */
  private CompletableFuture<?> write(OutboundSseEvent frame) {
    writing.begin();
    try {
      CompletableFuture<?> write = sink.send(frame).toCompletableFuture();
      if (write.isDone()) {
        writing.end();
      }
      return write;
    } finally {
      writing.leave();
    }
  }

  /**
   * An asynchronous write (RESTEasy's): the writer goes on when it completes. The container keeps
   * the callback for as long as the write is pending, which for a client that stopped reading is as
   * long as its connection stays open; so the callback reaches this subscriber (and through it the
   * run's log) only until it is cut.
   */
  private void continueAfter(CompletableFuture<?> write) {
    Pending callback = new Pending(this);
    pending = callback;
    write.whenComplete(
        (result, failure) -> {
          Subscriber subscriber = callback.subscriber;
          if (subscriber != null) {
            subscriber.written(failure == null && !(result instanceof Throwable));
          }
        });
  }

  private void written(boolean succeeded) {
    writing.end();
    if (succeeded && !ending) {
      executor.execute(this::drain);
    } else {
      executor.execute(this::cut);
    }
  }

  /** The subscriber an asynchronous write's callback goes on with, until it is cut. */
  private static final class Pending {
    private volatile Subscriber subscriber;

    Pending(Subscriber subscriber) {
      this.subscriber = subscriber;
    }
  }

  /** Jersey reports a failed write as a completed stage whose value is the IOException. */
  private boolean succeeded(CompletableFuture<?> write) {
    try {
      return !(write.join() instanceof Throwable) && !sink.isClosed();
    } catch (RuntimeException failed) {
      return false;
    }
  }
}
