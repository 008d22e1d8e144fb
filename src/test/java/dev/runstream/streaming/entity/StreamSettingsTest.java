package dev.runstream.streaming.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LongSummaryStatistics;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class StreamSettingsTest {

  @Test
  void retryHintsSpreadOverTheJitterAboveTheRetryTime() {
    StreamSettings settings = new StreamSettings(3000, 3000, 1024, 10_000);
    long[] hints = LongStream.range(0, 10_000).map(i -> settings.retryHintMs()).toArray();
    LongSummaryStatistics stats = LongStream.of(hints).summaryStatistics();
    assertTrue(stats.getMin() >= 3000, "never below the retry time: " + stats);
    assertTrue(stats.getMax() <= 6000, "never above retry + jitter: " + stats);
    Set<Long> distinct = LongStream.of(hints).boxed().collect(Collectors.toSet());
    assertTrue(distinct.size() > 2000, "10 000 streams get spread hints: " + distinct.size());
    long firstSecond = LongStream.of(hints).filter(hint -> hint < 4000).count();
    long lastSecond = LongStream.of(hints).filter(hint -> hint >= 5000).count();
    assertTrue(
        firstSecond > 2500 && lastSecond > 2500,
        "spread evenly, not bunched: "
            + firstSecond
            + " in the first second, "
            + lastSecond
            + " in the last");
  }

  @Test
  void noJitterGivesTheRetryTimeItself() {
    StreamSettings settings = new StreamSettings(1000, 0, 1024, 10_000);
    assertEquals(
        Set.of(1000L),
        LongStream.range(0, 100)
            .map(i -> settings.retryHintMs())
            .boxed()
            .collect(Collectors.toSet()));
  }

  @Test
  void negativeTimesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new StreamSettings(-1, 0, 1024, 10_000));
    assertThrows(IllegalArgumentException.class, () -> new StreamSettings(1000, -5, 1024, 10_000));
  }
}
