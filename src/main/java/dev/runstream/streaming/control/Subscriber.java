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
import java.util.concurrent.ScheduledExecutorService;
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
 * <p>One writer runs at a time. A write the container completes later (RESTEasy's are asynchronous;
 * Jersey's return done) hands the writer on to its completion instead of holding a thread. A client
 * more than the backlog behind the live end, or whose write does not finish within the write
 * timeout, is cut; it resumes with {@code Last-Event-ID}.
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
  private final ScheduledExecutorService timer;
  private final StreamSettings settings;
  private final long joinedAt;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final Deque<RunEvent> batch = new ArrayDeque<>(); // writer only
  private volatile long cursor;
  private volatile boolean pingDue;
  private boolean retrySent; // writer only
  private boolean ending; // writer only: the terminal event is the last write

  Subscriber(
      RunStream stream,
      SseEventSink sink,
      Sse sse,
      long lastEventId,
      Executor executor,
      ScheduledExecutorService timer,
      StreamSettings settings) {
    this.stream = stream;
    this.run = stream.run();
    this.sink = sink;
    this.sse = sse;
    this.executor = executor;
    this.timer = timer;
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

  /** Called by the broadcaster: an event was appended, or a heartbeat is due. Never blocks. */
  @Override
  public CompletionStage<?> send(OutboundSseEvent signal) {
    if (!open.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException("stream closed"));
    }
    if (signal == stream.ping()) {
      pingDue = true;
    } else if (lag() > settings.subscriberBacklog()) {
      LOG.fine(() -> "a subscriber of " + run.id() + " is " + lag() + " events behind: cut");
      executor.execute(this::cut); // closing may wait on the client: not on this thread
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
          if (hasWork() && scheduled.compareAndSet(false, true)) {
            continue;
          }
          return;
        }
        CompletableFuture<?> write = sink.send(next).toCompletableFuture();
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

  private void continueAfter(CompletableFuture<?> write) {
    var deadline =
        timer.schedule(
            () -> {
              if (!write.isDone()) {
                LOG.fine(() -> "a write to a subscriber of " + run.id() + " timed out: cut");
                executor.execute(this::cut);
              }
            },
            settings.writeTimeoutMs(),
            TimeUnit.MILLISECONDS);
    write.whenComplete(
        (result, failure) -> {
          deadline.cancel(false);
          boolean carryOn = failure == null && !(result instanceof Throwable) && !ending;
          executor.execute(carryOn ? this::drain : this::cut);
        });
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
