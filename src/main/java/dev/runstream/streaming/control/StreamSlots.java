package dev.runstream.streaming.control;

import dev.runstream.streaming.entity.StreamLimitException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission of event streams: at most {@code perRun} open streams of one run, {@code perSubject} of
 * one user (a subject; streams of no user, with identity off, are not counted per subject) and
 * {@code total} over the server. Every stream holds a {@link Slot} from before its first write
 * until it ends, and gives it back exactly once, whatever path it takes (ended, cut, or gone before
 * it began). A subject is counted only while it has a stream open: its entry goes with its last
 * one.
 */
final class StreamSlots {

  private final int perRun;
  private final int perSubject;
  private final int total;
  private final long retryAfterSeconds;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> subjects = new ConcurrentHashMap<>();

  StreamSlots(int perRun, int perSubject, int total, long retryAfterSeconds) {
    if (perSubject < 1 || (perSubject >= total && total > 1)) {
      throw new IllegalArgumentException(
          "chat.limits.streams-per-subject is "
              + perSubject
              + ": it must be at least 1 and below chat.limits.streams-total ("
              + total
              + "), so that no one user can take every stream of the server");
    }
    this.perRun = perRun;
    this.perSubject = perSubject;
    this.total = total;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /**
   * A slot of {@code run}'s streams, of {@code subject}'s (null: none) and of the server's; throws
   * if any of them has none left, having taken none.
   */
  Slot take(AtomicInteger run, String subject) {
    if (!increment(run, perRun)) {
      throw new StreamLimitException(StreamLimitException.Scope.RUN, perRun, retryAfterSeconds);
    }
    if (subject != null && !takeOf(subject)) {
      run.decrementAndGet();
      throw new StreamLimitException(
          StreamLimitException.Scope.SUBJECT, perSubject, retryAfterSeconds);
    }
    if (!increment(open, total)) {
      run.decrementAndGet();
      releaseOf(subject);
      throw new StreamLimitException(StreamLimitException.Scope.SERVER, total, retryAfterSeconds);
    }
    return new Slot(run, subject);
  }

  /** Open streams over the server: slots taken and not yet released. */
  int open() {
    return open.get();
  }

  /** Open streams of {@code subject}. */
  int open(String subject) {
    return subjects.getOrDefault(subject, 0);
  }

  /** Subjects with a stream open: what the per-subject count holds. */
  int subjects() {
    return subjects.size();
  }

  private static boolean increment(AtomicInteger counter, int limit) {
    for (int taken = counter.get(); taken < limit; taken = counter.get()) {
      if (counter.compareAndSet(taken, taken + 1)) {
        return true;
      }
    }
    return false;
  }

  /** One more stream of {@code subject}, unless it has the most; atomic per subject. */
  private boolean takeOf(String subject) {
    boolean[] taken = {false};
    subjects.compute(
        subject,
        (key, streams) -> {
          int now = streams == null ? 0 : streams;
          if (now >= perSubject) {
            return streams;
          }
          taken[0] = true;
          return now + 1;
        });
    return taken[0];
  }

  /** One stream fewer of {@code subject}; the entry goes with its last stream. */
  private void releaseOf(String subject) {
    if (subject != null) {
      subjects.computeIfPresent(subject, (key, streams) -> streams == 1 ? null : streams - 1);
    }
  }

  /** One stream's place; {@link #release()} gives it back once, later calls do nothing. */
  final class Slot {
    private final AtomicInteger run;
    private final String subject;
    private final AtomicBoolean released = new AtomicBoolean();

    private Slot(AtomicInteger run, String subject) {
      this.run = run;
      this.subject = subject;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        run.decrementAndGet();
        releaseOf(subject);
        open.decrementAndGet();
      }
    }
  }
}
