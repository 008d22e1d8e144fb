package dev.runstream.bench.scenario;

/**
 * The time line of a closed-loop step, in {@link System#nanoTime()}: posting starts at {@code
 * begin}, is measured from {@code start} (the warm-up is over) and stops at {@code end}. A request
 * written inside the measured window counts for latency; an answer received inside it counts for
 * the rate, so the rate is what the server acknowledged during those seconds.
 */
record Window(long begin, long start, long end) {

  static Window of(long begin, int warmupSeconds, int durationSeconds) {
    long start = begin + warmupSeconds * 1_000_000_000L;
    return new Window(begin, start, start + durationSeconds * 1_000_000_000L);
  }

  /** Whether a request written at {@code writtenNanos} counts for latency. */
  boolean measures(long writtenNanos) {
    return writtenNanos >= start && writtenNanos < end;
  }

  /** Whether an answer received at {@code answeredNanos} counts for the rate. */
  boolean counts(long answeredNanos) {
    return answeredNanos >= start && answeredNanos < end;
  }

  /** The second of the step (0 when posting began) that {@code nanos} falls in. */
  int second(long nanos) {
    return (int) Math.floorDiv(nanos - begin, 1_000_000_000L);
  }

  double seconds() {
    return (end - start) / 1e9;
  }

  /** {@code count} answers of the measured window, per second. */
  double rate(long count) {
    return count / seconds();
  }
}
