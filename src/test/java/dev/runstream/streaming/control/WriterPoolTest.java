package dev.runstream.streaming.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WriterPoolTest {

  private final AtomicLong clock = new AtomicLong();
  private final WriterPool pool = new WriterPool(1, Executors.defaultThreadFactory(), clock::get);
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final CountDownLatch busy = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  /** Occupies the pool's only thread until {@link #release}. */
  private void occupy() throws InterruptedException {
    pool.execute(
        () -> {
          busy.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertTrue(busy.await(10, TimeUnit.SECONDS));
  }

  /** A task that takes {@code nanos} of the pool's clock. */
  private Runnable costing(String name, long nanos, CountDownLatch done) {
    return () -> {
      clock.addAndGet(nanos);
      ran.add(name);
      done.countDown();
    };
  }

  private Runnable record(String name, CountDownLatch done) {
    return () -> {
      ran.add(name);
      done.countDown();
    };
  }

  @Test
  void liveWorkQueuedAfterHistoryWritesRunsBeforeThemAndEachKeepsItsOrder()
      throws InterruptedException {
    occupy();
    CountDownLatch done = new CountDownLatch(5);
    pool.catchUp(record("history 1", done));
    pool.catchUp(record("history 2", done));
    pool.execute(record("live 1", done));
    pool.catchUp(record("history 3", done));
    pool.execute(record("live 2", done));
    release.countDown();
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertEquals(List.of("live 1", "live 2", "history 1", "history 2", "history 3"), ran);
  }

  @Test
  void whileLiveWorkWaitsHistoryWritesGetATenthOfTheTimeSoNoneIsStarved()
      throws InterruptedException {
    occupy();
    CountDownLatch done = new CountDownLatch(23);
    for (int i = 1; i <= 3; i++) {
      pool.catchUp(costing("history " + i, 10, done));
    }
    for (int i = 1; i <= 20; i++) {
      pool.execute(costing("live " + i, 10, done));
    }
    release.countDown();
    assertTrue(done.await(10, TimeUnit.SECONDS));
    List<String> expected = new ArrayList<>(List.of("live 1", "history 1"));
    for (int i = 2; i <= 10; i++) { // history has had 10 of 20 ns: it waits for 90 of live
      expected.add("live " + i);
    }
    expected.add("history 2"); // 10 of 110 ns
    for (int i = 11; i <= 19; i++) {
      expected.add("live " + i);
    }
    expected.add("history 3"); // 20 of 210 ns
    expected.add("live 20");
    assertEquals(expected, ran);
  }

  @Test
  void aCostlyHistoryWriteCountsByItsTimeNotAsOneTurn() throws InterruptedException {
    occupy();
    CountDownLatch done = new CountDownLatch(22);
    pool.catchUp(costing("history 1", 200, done));
    pool.catchUp(costing("history 2", 200, done));
    for (int i = 1; i <= 20; i++) {
      pool.execute(costing("live " + i, 100, done));
    }
    release.countDown();
    assertTrue(done.await(10, TimeUnit.SECONDS));
    List<String> expected = new ArrayList<>(List.of("live 1", "history 1"));
    for (int i = 2; i <= 19; i++) { // 200 ns of history wait for 1 800 of live
      expected.add("live " + i);
    }
    expected.add("history 2");
    expected.add("live 20");
    assertEquals(expected, ran);
  }

  @Test
  void aStoppingPoolRefusesTasksAndEndsItsThreads() throws InterruptedException {
    occupy();
    pool.shutdownNow(); // interrupts the occupying task
    assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> {}));
    assertThrows(RejectedExecutionException.class, () -> pool.catchUp(() -> {}));
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void historyWritesRunWhenNoLiveWorkWaits() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(2);
    pool.catchUp(record("history 1", done));
    pool.catchUp(record("history 2", done));
    assertTrue(done.await(10, TimeUnit.SECONDS));
    assertEquals(List.of("history 1", "history 2"), ran);
  }
}
