package dev.runstream.streaming.control;

import dev.runstream.streaming.entity.StreamLimitException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission of event streams: at most {@code perRun} open streams of one run and {@code total} over
 * the server. Every stream holds a {@link Slot} from before its first write until it ends, and
 * gives it back exactly once, whatever path it takes (ended, cut, or gone before it began).
 */
final class StreamSlots {

  private final int perRun;
  private final int total;
  private final long retryAfterSeconds;
  private final AtomicInteger open = new AtomicInteger();

  StreamSlots(int perRun, int total, long retryAfterSeconds) {
    this.perRun = perRun;
    this.total = total;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** A slot of {@code run}'s streams; throws if the run or the server has none left. */
  Slot take(AtomicInteger run) {
    if (!increment(run, perRun)) {
      throw new StreamLimitException(StreamLimitException.Scope.RUN, perRun, retryAfterSeconds);
    }
    if (!increment(open, total)) {
      run.decrementAndGet();
      throw new StreamLimitException(StreamLimitException.Scope.SERVER, total, retryAfterSeconds);
    }
    return new Slot(run);
  }

  /** Open streams over the server: slots taken and not yet released. */
  int open() {
    return open.get();
  }

  private static boolean increment(AtomicInteger counter, int limit) {
    for (int taken = counter.get(); taken < limit; taken = counter.get()) {
      if (counter.compareAndSet(taken, taken + 1)) {
        return true;
      }
    }
    return false;
  }

  /** One stream's place; {@link #release()} gives it back once, later calls do nothing. */
  final class Slot {
    private final AtomicInteger run;
    private final AtomicBoolean released = new AtomicBoolean();

    private Slot(AtomicInteger run) {
      this.run = run;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        run.decrementAndGet();
        open.decrementAndGet();
      }
    }
  }
}
