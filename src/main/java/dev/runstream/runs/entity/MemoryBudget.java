package dev.runstream.runs.entity;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that the runs held in memory may take together ({@code chat.limits.bytes-held}): each
 * run takes what its events cost as it appends them and gives it all back once its end is
 * committed. Thread-safe.
 */
public final class MemoryBudget {

  private final long limit;
  private final AtomicLong held = new AtomicLong();

  public MemoryBudget(long limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("a memory budget must be at least 1 byte: " + limit);
    }
    this.limit = limit;
  }

  /** A budget nothing exhausts: for runs made outside a registry. */
  public static MemoryBudget unlimited() {
    return new MemoryBudget(Long.MAX_VALUE);
  }

  /** Takes {@code bytes} if the budget has them; whether it took them. */
  public boolean tryTake(long bytes) {
    long now;
    do {
      now = held.get();
      if (bytes > limit - now) {
        return false;
      }
    } while (!held.compareAndSet(now, now + bytes));
    return true;
  }

  /** Takes {@code bytes} whether the budget has them or not (what a run's end must append). */
  public void take(long bytes) {
    held.addAndGet(bytes);
  }

  public void release(long bytes) {
    held.addAndGet(-bytes);
  }

  public long held() {
    return held.get();
  }

  public long limit() {
    return limit;
  }
}
