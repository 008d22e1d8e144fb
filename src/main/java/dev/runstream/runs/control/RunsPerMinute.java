package dev.runstream.runs.control;

import dev.runstream.runs.entity.TooManyRunsException;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most {@code limit} runs created per subject in any minute: a sliding window log. Each subject
 * keeps the times of its accepted creates of the last minute (at most {@code limit} of them); a
 * create is accepted while fewer than {@code limit} are younger than a minute. So the count is
 * exact (no burst of twice the limit at a window's edge, as a fixed window allows), and a refusal
 * knows when the next create will be accepted: when its oldest time leaves the window. Only
 * accepted creates are kept: a refused one costs the subject nothing. A subject whose times have
 * all left the window is dropped by a sweep, made by the first create a minute or more after the
 * last sweep: the map holds the subjects that created a run within two minutes of the latest
 * create, not every subject ever seen. Per node: nothing is shared between servers.
 */
final class RunsPerMinute {

  static final long WINDOW_MS = 60_000;

  private final int limit;
  private final Clock clock;
  private final ConcurrentHashMap<String, Times> subjects = new ConcurrentHashMap<>();
  private final AtomicLong lastSweep;

  RunsPerMinute(int limit, Clock clock) {
    if (limit < 1) {
      throw new IllegalArgumentException(
          "chat.limits.runs-per-minute is " + limit + ": it must be at least 1");
    }
    this.limit = limit;
    this.clock = clock;
    this.lastSweep = new AtomicLong(clock.millis());
  }

  /**
   * Counts a create of {@code subject} now, or throws {@link TooManyRunsException} with the whole
   * seconds until one would be accepted (at least 1).
   */
  void admit(String subject) {
    long now = clock.millis();
    sweep(now);
    long[] refusedFor = {0};
    subjects.compute(
        subject,
        (key, times) -> {
          Times kept = times == null ? new Times() : times;
          kept.expire(now);
          if (kept.size < limit) {
            kept.add(now);
          } else {
            refusedFor[0] = kept.oldest() + WINDOW_MS - now; // > 0: the oldest is in the window
          }
          return kept;
        });
    if (refusedFor[0] > 0) {
      throw new TooManyRunsException(limit, (refusedFor[0] + 999) / 1000);
    }
  }

  /** Subjects with a create in the window (or since the last sweep): what the map holds. */
  int subjects() {
    return subjects.size();
  }

  /** At most once a window: drops every subject whose creates have all left it. */
  private void sweep(long now) {
    long last = lastSweep.get();
    if (now - last < WINDOW_MS || !lastSweep.compareAndSet(last, now)) {
      return;
    }
    for (String subject : subjects.keySet()) {
      subjects.computeIfPresent(
          subject,
          (key, times) -> {
            times.expire(now);
            return times.size == 0 ? null : times;
          });
    }
  }

  /**
   * One subject's accepted creates, oldest first: a ring of times that grows up to the limit. Used
   * only inside the map's {@code compute}, which runs one at a time per subject.
   */
  private final class Times {
    private long[] ring = new long[Math.min(limit, 8)];
    private int head;
    private int size;

    void add(long time) {
      if (size == ring.length) {
        long[] larger = new long[Math.min(limit, ring.length * 2)];
        for (int i = 0; i < size; i++) {
          larger[i] = ring[(head + i) % ring.length];
        }
        ring = larger;
        head = 0;
      }
      ring[(head + size) % ring.length] = time;
      size++;
    }

    long oldest() {
      return ring[head];
    }

    /** Drops the times a whole window old or older at {@code now}: they no longer count. */
    void expire(long now) {
      while (size > 0 && ring[head] <= now - WINDOW_MS) {
        head = (head + 1) % ring.length;
        size--;
      }
    }
  }
}
