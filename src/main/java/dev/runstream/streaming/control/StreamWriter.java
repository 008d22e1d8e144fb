package dev.runstream.streaming.control;

import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunEvent;
import dev.runstream.streaming.entity.SseFrame;
import dev.runstream.streaming.entity.SseFrames;
import dev.runstream.streaming.entity.StreamSettings;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's stream: a cursor into the run's log and the loop that writes what lies after it. It
 * queues nothing: a wake-up (from the broadcaster, through its {@link WakeUpSink}) starts the loop,
 * which copies events after the cursor from the log, in order. So history and live events meet
 * without gap or duplicate, and a slow client costs a cursor rather than a queue.
 *
 * <p>One loop runs at a time, on the registry's writer pool. A client more than the backlog behind
 * the live end is cut; it resumes with {@code Last-Event-ID}. A write that has not finished within
 * the write timeout is cut by the registry's watchdog ({@link #check}).
 */
final class StreamWriter {

  private static final Logger LOG = Logger.getLogger(StreamWriter.class.getName());
  private static final int BATCH = 256;
  private static final int BATCH_CHARS = 32 * 1024;

  /** A history longer than this is written after live work ({@link #schedule}). */
  static final int SHORT_HISTORY = 64;

  private final RunStream stream;
  private final Run run;
  private final WatchedSink sink;
  private final int framesPerWrite;
  private final Sse sse;
  private final WriterPool executor;
  private final Set<StreamWriter> waitingForClients;
  private final StreamSettings settings;
  private final StreamSlots.Slot slot;
  private final WakeUpSink wakeUps;
  private final long joinedAt;
  private final boolean longHistory;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final Deque<RunEvent> batch = new ArrayDeque<>(); // loop only
  private volatile long cursor;
  private volatile boolean pingDue;
  private boolean retrySent; // loop only
  private boolean ending; // loop only: the terminal event is the last write

  StreamWriter(
      RunStream stream,
      WatchedSink sink,
      int framesPerWrite,
      StreamSlots.Slot slot,
      long lastEventId,
      Sse sse,
      WriterPool executor,
      Set<StreamWriter> waitingForClients,
      StreamSettings settings) {
    this.stream = stream;
    this.run = stream.run();
    this.sink = sink;
    this.framesPerWrite = framesPerWrite;
    this.slot = slot;
    this.sse = sse;
    this.executor = executor;
    this.waitingForClients = waitingForClients;
    this.settings = settings;
    this.cursor = lastEventId;
    this.joinedAt = run.lastEventId();
    this.longHistory = joinedAt - lastEventId > SHORT_HISTORY;
    this.wakeUps = new WakeUpSink(this, stream.ping());
  }

  /** The client's own sink. */
  WatchedSink sink() {
    return sink;
  }

  /** What the run's broadcaster delivers to for this client. */
  WakeUpSink wakeUps() {
    return wakeUps;
  }

  /**
   * Opens the response with a comment, on the request's thread before the stream joins the run: the
   * client has its headers at once, and one that is already gone never joins.
   */
  boolean greet() {
    return sink.writeAndWait(sse.newEventBuilder().comment("").build(), settings.writeTimeoutMs());
  }

  String runId() {
    return run.id();
  }

  /** Whether the client has not taken the last write (or was not writable at the last try). */
  boolean waitsOnClient() {
    return sink.waitsOnClient();
  }

  boolean isCut() {
    return !open.get();
  }

  void pingDue() {
    pingDue = true;
  }

  /** Events appended since the client joined that it has not been sent yet. */
  long lag() {
    return run.lastEventId() - Math.max(cursor, joinedAt);
  }

  /** Cuts the stream if it is more than the backlog behind the live end; tells whether it did. */
  boolean cutIfTooFarBehind() {
    if (lag() <= settings.subscriberBacklog()) {
      return false;
    }
    LOG.fine(() -> "a subscriber of " + run.id() + " is " + lag() + " events behind: cut");
    cut();
    return true;
  }

  /**
   * Ends the client's stream now, whatever is left to send: it leaves the run and gives back its
   * slot at once, and its sink is closed on a writer thread (closing may wait on the client).
   */
  void cut() {
    if (open.compareAndSet(true, false)) {
      sink.detach();
      stream.leave(this);
      slot.release();
      try {
        executor.execute(sink::close);
      } catch (RejectedExecutionException stopping) {
        sink.close(); // the application is stopping
      }
    }
  }

  /**
   * The watchdog, about once a second: cuts the stream if its write under way began before {@code
   * writeDeadline}, or its client has not been writable since then, or it has fallen more than the
   * backlog behind; and wakes it if it is idle with events to send (a wake-up the broadcaster lost,
   * or a client that was not writable at the last try).
   */
  void check(long writeDeadline) {
    if (sink.writeStartedBefore(writeDeadline) || sink.notReadySinceBefore(writeDeadline)) {
      LOG.fine(() -> "a subscriber of " + run.id() + " has not read for the write timeout: cut");
      cut(); // the registry interrupts the write: see WatchedSink#interruptIfStuck
    } else if (!cutIfTooFarBehind() && !scheduled.get() && cursor < run.lastEventId()) {
      wake();
    }
  }

  /** Wakes the stream if its client can take a write again; tells whether it did. */
  boolean wakeIfWritable() {
    if (!sink.ready()) {
      return false;
    }
    wake();
    return true;
  }

  void wake() {
    if (open.get() && scheduled.compareAndSet(false, true)) {
      schedule();
    }
  }

  /**
   * Hands the loop to a writer: as live work, or, while it still writes a long history (more than
   * {@link #SHORT_HISTORY} events were in the log after its {@code Last-Event-ID} when the client
   * joined), after every live stream waiting for one ({@link WriterPool}). A short history (a new
   * subscriber's {@code run.created}, a reconnect that missed a few events) is live work.
   */
  private void schedule() {
    if (longHistory && cursor < joinedAt) {
      executor.catchUp(this::drain);
    } else {
      executor.execute(this::drain);
    }
  }

  /** Writes until nothing is left, a write is under way, or others deserve the thread. */
  private void drain() {
    try {
      for (int written = 0; open.get(); written++) {
        if (written == BATCH) {
          schedule(); // still scheduled: continues after others had a turn
          return;
        }
        if (!sink.ready()) { // a write now would wait on the client: the registry retries
          scheduled.set(false);
          waitingForClients.add(this);
          return;
        }
        OutboundSseEvent next = next();
        if (next == null && gone()) {
          cut(); // its client reconnects and hears that the run is gone (404)
          return;
        }
        if (next == null) {
          scheduled.set(false);
          stream.wantWake(); // before the last look: an append after it will wake this one
          if (hasWork() && scheduled.compareAndSet(false, true)) {
            continue;
          }
          return;
        }
        CompletableFuture<?> write = sink.write(next);
        if (!write.isDone()) {
          sink.whenWritten(write, this::written);
          return;
        }
        if (!sink.succeeded(write) || ending) {
          cut(); // a broken stream, or the end of the run
          return;
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "stream of " + run.id() + " broke", e);
      cut();
    }
  }

  /** An asynchronous write (RESTEasy's) completed: the loop goes on, or the stream ends. */
  private void written(boolean succeeded) {
    if (succeeded && !ending) {
      schedule();
    } else {
      executor.execute(this::cut);
    }
  }

  /**
   * The next write: the events after the cursor that one write may carry (one, or every one read
   * ahead where the container takes several frames in a write), else a due ping, else null.
   */
  private OutboundSseEvent next() {
    if (batch.isEmpty()) {
      long chars = 0;
      for (RunEvent read : run.eventsAfter(cursor, BATCH)) {
        chars += read.json().length();
        if (!batch.isEmpty() && chars > BATCH_CHARS) {
          break; // what a client that stops reading holds here stays small, whatever the events
        }
        batch.add(read);
      }
    }
    if (!batch.isEmpty()) {
      return frames(Math.min(batch.size(), framesPerWrite));
    }
    if (pingDue) {
      pingDue = false;
      return stream.ping();
    }
    return null;
  }

  /**
   * Whether the run was deleted (or expired) under this stream: it is read from the store, and
   * nothing is left there where the run says events follow the cursor. Reading again would find
   * nothing again, for good. (A run held in memory keeps its events, and its last id may grow
   * between the read and this look.)
   */
  private boolean gone() {
    return !run.isLive() && batch.isEmpty() && cursor < run.lastEventId();
  }

  /** The next {@code count} events read ahead, in one write. */
  private OutboundSseEvent frames(int count) {
    List<SseFrame> frames = new ArrayList<>(count);
    RunEvent event = null;
    for (int i = 0; i < count; i++) {
      event = batch.poll();
      frames.add(stream.frame(event));
    }
    cursor = event.id();
    ending = event.terminal();
    OutboundSseEvent.Builder frame =
        sse.newEventBuilder().id(Long.toString(event.id())).name(event.type());
    if (count == 1) {
      frame.data(SseFrame.class, frames.get(0));
    } else {
      frame.data(SseFrames.class, new SseFrames(frames));
    }
    if (!retrySent) {
      retrySent = true;
      frame.reconnectDelay(settings.retryHintMs());
    }
    return frame.build();
  }

  private boolean hasWork() {
    return open.get() && (pingDue || cursor < run.lastEventId() || !batch.isEmpty());
  }
}
