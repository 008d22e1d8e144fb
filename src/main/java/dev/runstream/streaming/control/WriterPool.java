package dev.runstream.streaming.control;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The threads that write every stream, and the order in which they take work: whatever keeps a
 * stream at the live end of its run (a wake-up for a new event, closing a stream) before the writes
 * of streams that are catching up on a long history, but not always: while both wait, history
 * writes get {@value #HISTORY_SHARE_PERCENT} % of the writers' time, so a history is never starved,
 * however busy the live streams keep the writers. In the order given within each.
 *
 * <p>So a thousand clients that connect to a long run and never read, or replay it, take at most a
 * tenth of the writers' time from live streams while those have work. A share of turns would not
 * do: on WildFly a history write (an event of a long run, copied byte by byte by RESTEasy) costs
 * several live ones, and one turn in five gave healthy subscribers a p99 of 3.7 to 4.4 s beside a
 * thousand such clients, no better than first come, first served (docs/benchmarks.md, "Live before
 * history").
 */
final class WriterPool implements Executor {

  /** History writes' share of the writers' time while live work waits too. */
  static final int HISTORY_SHARE_PERCENT = 10;

  private static final Logger LOG = Logger.getLogger(WriterPool.class.getName());

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final ArrayDeque<Runnable> live = new ArrayDeque<>();
  private final ArrayDeque<Runnable> history = new ArrayDeque<>();
  private final List<Thread> threads = new ArrayList<>();
  private final ThreadFactory factory;
  private final LongSupplier nanoTime;
  private long liveNanos; // time of the tasks taken while the other lane waited too
  private long historyNanos;
  private boolean stopping;

  WriterPool(int size, ThreadFactory factory) {
    this(size, factory, System::nanoTime);
  }

  /** With the clock that times the tasks. */
  WriterPool(int size, ThreadFactory factory, LongSupplier nanoTime) {
    this.factory = factory;
    this.nanoTime = nanoTime;
    lock.lock();
    try {
      for (int i = 0; i < size; i++) {
        startThread();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code task} before the history writes that wait, but for their share of the time. */
  @Override
  public void execute(Runnable task) {
    add(live, task);
  }

  /** Runs {@code task}, a history write, in its share of the time while live work waits. */
  void catchUp(Runnable task) {
    add(history, task);
  }

  /** Takes no more tasks; the threads end once they have run those already given. */
  void shutdown() {
    lock.lock();
    try {
      stopping = true;
      work.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Drops the tasks not begun and interrupts those under way (a write blocked on a client). */
  void shutdownNow() {
    lock.lock();
    try {
      stopping = true;
      live.clear();
      history.clear();
      threads.forEach(Thread::interrupt);
      work.signalAll();
    } finally {
      lock.unlock();
    }
  }

  boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    for (Thread thread : threadsNow()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedJoin(thread, left);
      if (thread.isAlive()) {
        return false;
      }
    }
    return true;
  }

  private List<Thread> threadsNow() {
    lock.lock();
    try {
      return List.copyOf(threads);
    } finally {
      lock.unlock();
    }
  }

  private void add(ArrayDeque<Runnable> lane, Runnable task) {
    lock.lock();
    try {
      if (stopping) {
        throw new RejectedExecutionException("the stream writers are stopping");
      }
      lane.add(task);
      work.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Fills {@code turn} with the next task; false once stopping with nothing left. */
  private boolean next(Turn turn) throws InterruptedException {
    lock.lock();
    try {
      while (live.isEmpty() && history.isEmpty()) {
        if (stopping) {
          return false;
        }
        work.await();
      }
      turn.contended = !live.isEmpty() && !history.isEmpty();
      turn.history =
          live.isEmpty()
              || turn.contended
                  && historyNanos * (100 - HISTORY_SHARE_PERCENT)
                      < liveNanos * HISTORY_SHARE_PERCENT;
      turn.task = turn.history ? history.poll() : live.poll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Counts the time of a task taken while the other lane waited too. */
  private void took(Turn turn, long nanos) {
    lock.lock();
    try {
      if (turn.history) {
        historyNanos += nanos;
      } else {
        liveNanos += nanos;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock. */
  private void startThread() {
    Thread thread = factory.newThread(this::work);
    threads.add(thread);
    thread.start();
  }

  private void work() {
    boolean ended = false;
    Turn turn = new Turn();
    try {
      while (next(turn)) {
        long start = nanoTime.getAsLong();
        try {
          turn.task.run();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "a stream writer's task failed", e);
        } finally {
          turn.task = null;
        }
        if (turn.contended) {
          took(turn, nanoTime.getAsLong() - start);
        }
        Thread.interrupted(); // an interrupt meant for that task is not the next one's
      }
      ended = true;
    } catch (InterruptedException stopped) {
      ended = true; // shutdownNow while waiting for work
    } finally {
      lock.lock();
      try {
        threads.remove(Thread.currentThread());
        if (!ended && !stopping) {
          startThread(); // the task threw an Error: the pool keeps its size
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /** A worker's task and how it was taken. */
  private static final class Turn {
    Runnable task;
    boolean history;
    boolean contended;
  }
}
