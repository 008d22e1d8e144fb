package dev.runstream.runs.control;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.runs.entity.TooManyRunsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RunsPerMinuteTest {

  /** A clock the test moves by hand. */
  private static final class Hand extends Clock {
    private Instant now = Instant.parse("2026-12-01T10:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  private final Hand clock = new Hand();

  private static long refusedFor(RunsPerMinute limiter, String subject) {
    return assertThrows(TooManyRunsException.class, () -> limiter.admit(subject))
        .retryAfterSeconds();
  }

  @Test
  void theLimitIsAcceptedThenTheNextIsRefusedUntilTheOldestLeavesTheWindow() {
    RunsPerMinute limiter = new RunsPerMinute(3, clock);
    limiter.admit("alice"); // at 0 s
    clock.advance(Duration.ofSeconds(10));
    limiter.admit("alice"); // at 10 s
    limiter.admit("alice");
    TooManyRunsException refused =
        assertThrows(TooManyRunsException.class, () -> limiter.admit("alice"));
    assertEquals(3, refused.limit());
    assertEquals(50, refused.retryAfterSeconds(), "the first run leaves the window at 60 s");

    clock.advance(Duration.ofMillis(49_001)); // 59.001 s: 0.999 s to go, said as a whole second
    assertEquals(1, refusedFor(limiter, "alice"));
    clock.advance(Duration.ofMillis(999)); // 60 s: the first run is a whole minute old
    limiter.admit("alice");
    assertEquals(10, refusedFor(limiter, "alice"), "now the two runs made at 10 s count");
  }

  @Test
  void retryAfterIsTrueToTheSecond() {
    RunsPerMinute limiter = new RunsPerMinute(1, clock);
    limiter.admit("alice");
    clock.advance(Duration.ofMillis(200));
    long retryAfter = refusedFor(limiter, "alice");
    assertEquals(60, retryAfter, "59.8 s rounded up");
    clock.advance(Duration.ofSeconds(retryAfter).minusMillis(1000));
    assertThrows(TooManyRunsException.class, () -> limiter.admit("alice"), "a second early");
    clock.advance(Duration.ofSeconds(1));
    assertDoesNotThrow(() -> limiter.admit("alice"), "accepted when Retry-After said");
  }

  @Test
  void refusedCreatesDoNotCount() {
    RunsPerMinute limiter = new RunsPerMinute(2, clock);
    limiter.admit("alice");
    limiter.admit("alice");
    for (int i = 0; i < 59; i++) { // a client retrying every second for a minute
      clock.advance(Duration.ofSeconds(1));
      assertThrows(TooManyRunsException.class, () -> limiter.admit("alice"));
    }
    clock.advance(Duration.ofSeconds(1));
    limiter.admit("alice");
    limiter.admit("alice");
    assertEquals(60, refusedFor(limiter, "alice"));
  }

  @Test
  void subjectsAreCountedApart() {
    RunsPerMinute limiter = new RunsPerMinute(2, clock);
    limiter.admit("alice");
    limiter.admit("alice");
    assertThrows(TooManyRunsException.class, () -> limiter.admit("alice"));
    limiter.admit("bob");
    limiter.admit("bob");
    assertThrows(TooManyRunsException.class, () -> limiter.admit("bob"));
    clock.advance(Duration.ofSeconds(30));
    limiter.admit("carol");
    assertEquals(30, refusedFor(limiter, "alice"));
  }

  @Test
  void aLargeLimitIsCountedExactly() {
    RunsPerMinute limiter = new RunsPerMinute(1000, clock);
    for (int i = 0; i < 1000; i++) {
      limiter.admit("alice");
      clock.advance(Duration.ofMillis(50));
    }
    assertEquals(10, refusedFor(limiter, "alice"), "the first of 1000 runs, 50 s ago");
    clock.advance(Duration.ofSeconds(20)); // at 70 s
    for (int i = 0; i < 201; i++) { // the 201 made from 0 to 10 s have left the window
      limiter.admit("alice");
    }
    assertEquals(1, refusedFor(limiter, "alice"), "the next leaves it at 70.05 s");
  }

  @Test
  void idleSubjectsAreForgotten() {
    RunsPerMinute limiter = new RunsPerMinute(5, clock);
    for (int i = 0; i < 10_000; i++) {
      limiter.admit("user-" + i);
    }
    assertEquals(10_000, limiter.subjects());
    clock.advance(Duration.ofSeconds(30));
    limiter.admit("late");
    assertEquals(10_001, limiter.subjects(), "all of them are still in the window");
    clock.advance(Duration.ofSeconds(31));
    limiter.admit("later");
    assertEquals(2, limiter.subjects(), "the sweep keeps those with a run in the last minute");
    clock.advance(Duration.ofMinutes(5));
    limiter.admit("last");
    assertEquals(1, limiter.subjects());
  }

  @Test
  void aLimitBelowOneIsRefusedAtStart() {
    for (int limit : new int[] {0, -1}) {
      IllegalArgumentException refused =
          assertThrows(IllegalArgumentException.class, () -> new RunsPerMinute(limit, clock));
      assertTrue(
          refused.getMessage().contains("chat.limits.runs-per-minute"), refused.getMessage());
    }
  }
}
