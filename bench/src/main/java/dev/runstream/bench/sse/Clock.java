package dev.runstream.bench.sse;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Wall-clock microseconds that never go backwards: one reading of the wall clock at start, then the
 * monotonic clock. Publish and receive times come from it in the same JVM, so their difference is
 * exact; echo runs' {@code created_at} (server time, milliseconds) compares with it on one host.
 */
public final class Clock {

  private static final long ANCHOR_NANOS = System.nanoTime();
  private static final long ANCHOR_MICROS = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());

  private Clock() {}

  public static long micros() {
    return ANCHOR_MICROS + (System.nanoTime() - ANCHOR_NANOS) / 1000;
  }
}
