package dev.runstream.openai.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SilenceTest {

  private static final Duration LIMIT = Duration.ofMillis(200);

  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private final CountDownLatch timedOut = new CountDownLatch(1);
  private final AtomicInteger timeouts = new AtomicInteger();

  private Silence silence() {
    return new Silence(
        LIMIT,
        scheduler,
        () -> {
          timeouts.incrementAndGet();
          timedOut.countDown();
        });
  }

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  @Test
  void aSilentServerTimesOutOnceAfterTheLimit() throws Exception {
    long start = System.nanoTime();
    silence().start();
    assertTrue(timedOut.await(5, TimeUnit.SECONDS));
    assertTrue(System.nanoTime() - start >= LIMIT.toNanos(), "not before the limit");
    assertEquals(0, scheduler.getQueue().size(), "nothing left scheduled");
    assertEquals(1, timeouts.get());
  }

  @Test
  void hearingFromTheServerPushesTheTimeoutBack() throws Exception {
    Silence silence = silence();
    silence.start();
    long start = System.nanoTime();
    CountDownLatch late = new CountDownLatch(1);
    scheduler.schedule(silence::heard, LIMIT.toMillis() / 2, TimeUnit.MILLISECONDS);
    scheduler.schedule(late::countDown, LIMIT.toMillis() / 2, TimeUnit.MILLISECONDS);
    assertTrue(late.await(5, TimeUnit.SECONDS));
    assertTrue(timedOut.await(5, TimeUnit.SECONDS));
    assertTrue(
        System.nanoTime() - start >= LIMIT.toNanos() * 3 / 2,
        "the limit counts from the last time the server was heard");
  }

  @Test
  void aStoppedSilenceNeverTimesOut() throws Exception {
    Silence silence = silence();
    silence.start();
    silence.stop();
    assertFalse(timedOut.await(LIMIT.toMillis() * 3, TimeUnit.MILLISECONDS));
    assertEquals(0, scheduler.getQueue().size());
  }
}
