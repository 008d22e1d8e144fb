package dev.runstream.openai.control;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A read timeout over a whole exchange: calls {@code onTimeout} once the server has sent nothing
 * for {@code limit}, before its answer or between two chunks. One scheduled check at a time,
 * re-armed for what is left of the limit after the last {@link #heard()}, so hearing from the
 * server costs a volatile write, not a reschedule.
 */
final class Silence {

  private final Duration limit;
  private final ScheduledExecutorService scheduler;
  private final Runnable onTimeout;
  private volatile long heardAt;
  private volatile boolean stopped;
  private volatile Future<?> check;

  Silence(Duration limit, ScheduledExecutorService scheduler, Runnable onTimeout) {
    this.limit = limit;
    this.scheduler = scheduler;
    this.onTimeout = onTimeout;
  }

  void start() {
    heard();
    arm(limit.toNanos());
  }

  /** The server sent something. */
  void heard() {
    heardAt = System.nanoTime();
  }

  /** No timeout from now on; idempotent. */
  void stop() {
    stopped = true;
    Future<?> pending = check;
    if (pending != null) {
      pending.cancel(false);
    }
  }

  private void arm(long nanos) {
    check = scheduler.schedule(this::check, nanos, TimeUnit.NANOSECONDS);
  }

  private void check() {
    if (stopped) {
      return;
    }
    long left = limit.toNanos() - (System.nanoTime() - heardAt);
    if (left > 0) {
      arm(left);
    } else {
      stopped = true;
      onTimeout.run();
    }
  }
}
