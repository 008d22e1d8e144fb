package dev.runstream.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The warm-up, then the measured window: what counts for latency, for the rate, which second. */
class WindowTest {

  private static final long S = 1_000_000_000L;
  private final Window window = Window.of(100 * S, 5, 30);

  @Test
  void measuredWindowStartsAfterTheWarmUpAndLastsTheDuration() {
    assertEquals(105 * S, window.start());
    assertEquals(135 * S, window.end());
    assertEquals(30.0, window.seconds());
  }

  @Test
  void requestWrittenDuringTheWarmUpIsNotMeasured() {
    assertFalse(window.measures(105 * S - 1));
    assertTrue(window.measures(105 * S));
  }

  @Test
  void requestWrittenAtTheEndIsNotMeasured() {
    assertTrue(window.measures(135 * S - 1));
    assertFalse(window.measures(135 * S));
  }

  @Test
  void answerCountsForTheRateWhenItArrivesInsideTheWindow() {
    assertFalse(window.counts(104 * S));
    assertTrue(window.counts(120 * S));
    assertFalse(window.counts(136 * S));
  }

  @Test
  void rateIsAnswersPerMeasuredSecond() {
    assertEquals(100.0, window.rate(3000));
  }

  @Test
  void secondsCountFromWhenPostingBegan() {
    assertEquals(0, window.second(100 * S));
    assertEquals(4, window.second(105 * S - 1));
    assertEquals(5, window.second(105 * S));
    assertEquals(-1, window.second(100 * S - 1));
  }
}
