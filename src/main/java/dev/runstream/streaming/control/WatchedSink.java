package dev.runstream.streaming.control;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
  private final SinkWatch writing = new SinkWatch();
  private final SinkWatch closing = new SinkWatch();
  private volatile boolean closed;
  private volatile boolean detached;
  private volatile Pending pending; // the callback of the last asynchronous write

  WatchedSink(SseEventSink sink) {
    this.sink = sink;
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
   * Closes the sink on the calling thread, watched like a write (closing may wait on the client).
   */
  void close() {
    closing.begin();
    try {
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
