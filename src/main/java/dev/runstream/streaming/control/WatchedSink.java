package dev.runstream.streaming.control;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A client's sink as the container gives it, with every call that may wait on the client watched.
 * The two containers differ here: Jersey's write returns when the frame is written and may block on
 * a full socket meanwhile (Grizzly's flush); RESTEasy's returns at once and the write is under way
 * until its stage completes, and its close waits for that flush. Either way {@link SinkWatch} sees
 * how long a write or a close has taken, so the watchdog can cut it and interrupt a blocked thread.
 */
final class WatchedSink {

  private static final Logger LOG = Logger.getLogger(WatchedSink.class.getName());

  private final SseEventSink sink;
  private final BooleanSupplier writable;
  private final SinkWatch writing = new SinkWatch();
  private final SinkWatch closing = new SinkWatch();
  private volatile boolean closed;
  private volatile boolean detached;
  private volatile Pending pending; // the callback of the last asynchronous write
  private volatile long notReadySince; // System.nanoTime() | 1 since writable said no, else 0

  /**
   * {@code writable} tells whether a write would complete without waiting on the client (on Payara
   * the servlet stream's {@code isReady()}; where writes never block, always true).
   */
  WatchedSink(SseEventSink sink, BooleanSupplier writable) {
    this.sink = sink;
    this.writable = writable;
  }

  /**
   * Whether the next frame can be written without waiting on the client. On Payara a write blocks
   * once Grizzly's write queue for the connection is full (a client that does not read); asking
   * first, and writing each frame in one call ({@code OneWritePerFrame}), means no write ever
   * blocks: Grizzly lets the write that follows a yes through without waiting.
   */
  boolean ready() {
    boolean ready;
    try {
      ready = writable.getAsBoolean();
    } catch (RuntimeException gone) {
      ready = true; // the write fails and the stream is cut
    }
    if (ready) {
      notReadySince = 0;
    } else if (notReadySince == 0) {
      notReadySince = System.nanoTime() | 1;
    }
    return ready;
  }

  /** Whether a write is under way, or the client was not writable at the last try. */
  boolean waitsOnClient() {
    return writing.underWay() || notReadySince != 0;
  }

  /** Whether the client has not been writable since before {@code deadline}. */
  boolean notReadySinceBefore(long deadline) {
    long since = notReadySince;
    return since != 0 && since - deadline < 0;
  }

  /** Writes {@code frame} on the calling thread and waits for it at most {@code timeoutMs}. */
  boolean writeAndWait(OutboundSseEvent frame, long timeoutMs) {
    try {
      Object result = sink.send(frame).toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
      return !(result instanceof Throwable) && !sink.isClosed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      return false;
    }
  }

  /** Starts writing one frame; the write is under way until the returned stage completes. */
  CompletableFuture<?> write(OutboundSseEvent frame) {
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
   * Whether a finished write succeeded: Jersey reports a failed one as a stage whose value is the
   * IOException.
   */
  boolean succeeded(CompletableFuture<?> write) {
    try {
      return !(write.join() instanceof Throwable) && !sink.isClosed();
    } catch (RuntimeException failed) {
      return false;
    }
  }

  /**
   * Calls {@code then} with whether a write still under way succeeded, once it completes. The
   * container keeps the callback as long as the write is pending, which for a client that stopped
   * reading is as long as its connection stays open; so the callback reaches {@code then} (and
   * through it the run's log) only until {@link #detach()}.
   */
  void whenWritten(CompletableFuture<?> write, Consumer<Boolean> then) {
    Pending callback = new Pending(then);
    pending = callback;
    if (detached) { // detached meanwhile: it may not have seen this callback
      callback.then = null;
    }
    write.whenComplete(
        (result, failure) -> {
          writing.end();
          Consumer<Boolean> next = callback.then;
          if (next != null) {
            next.accept(failure == null && !(result instanceof Throwable));
          }
        });
  }

  /** No callback of a pending write reaches its stream from now on. */
  void detach() {
    detached = true;
    Pending callback = pending;
    if (callback != null) {
      callback.then = null;
    }
  }

  /**
   * Closes the sink on the calling thread without waiting on a client that is not reading (a write
   * still under way, or not writable): what it has not taken is dropped. Watched like a write all
   * the same.
   */
  void close() {
    boolean stuck = writing.underWay() || !ready();
    closing.begin();
    try {
      if (stuck) {
        // The container's close waits for what it still has to send (RESTEasy's flush; Jersey's
        // last chunk, blocked in Grizzly like a write), which a client that does not read never
        // takes. With the thread's interrupt flag set that wait gives up at once: Grizzly closes
        // the connection, RESTEasy completes the response. SinkWatch#leave clears the flag.
        Thread.currentThread().interrupt();
      }
      sink.close();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "closing a stream", e);
    } finally {
      closing.leave();
      closing.end();
      closed = true;
    }
  }

  boolean writeStartedBefore(long deadline) {
    return writing.startedBefore(deadline);
  }

  /**
   * Interrupts a write or close that began before {@code deadline} (on Payara Grizzly then closes
   * the connection, and Jersey's close after the failed write blocks once more; on WildFly
   * RESTEasy's close waits for its flush). True once the sink is closed and no thread is left in
   * it.
   */
  boolean interruptIfStuck(long deadline) {
    writing.interruptIfStartedBefore(deadline);
    closing.interruptIfStartedBefore(deadline);
    return closed && !writing.holdsThread() && !closing.holdsThread();
  }

  /** Where an asynchronous write's callback goes on, until the stream is detached. */
  private static final class Pending {
    private volatile Consumer<Boolean> then;

    Pending(Consumer<Boolean> then) {
      this.then = then;
    }
  }
}
