package dev.runstream.bench.sse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * One selector thread serving many {@link SseStream}s. Everything a stream and its handler do runs
 * here, so their state needs no locks; other threads hand work over with {@link #execute}. Its
 * {@link LoopStats} are written only by this thread.
 */
public final class IoLoop implements AutoCloseable {

  private final Selector selector;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
  private final Thread thread;
  private volatile boolean running = true;
  public final LoopStats stats = new LoopStats();

  IoLoop(String name) {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  public static List<IoLoop> start(int count) {
    return java.util.stream.IntStream.range(0, count).mapToObj(i -> new IoLoop("io-" + i)).toList();
  }

  void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  /** Runs {@code task} on this loop and waits for its answer (and for everything before it). */
  public <T> T call(Callable<T> task) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    execute(
        () -> {
          try {
            answer.complete(task.call());
          } catch (Exception | Error e) {
            answer.completeExceptionally(e);
          }
        });
    try {
      return answer.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("io loop " + thread.getName() + " did not answer", e);
    }
  }

  public void open(SseStream stream) {
    execute(() -> stream.open(selector));
  }

  /** Closes every stream of this loop; call on the loop's thread. */
  public void closeAll(String why) {
    for (SelectionKey key : java.util.List.copyOf(selector.keys())) {
      if (key.attachment() instanceof SseStream stream) {
        stream.close(why);
      }
    }
  }

  /** CPU time this loop's thread has used, in nanoseconds. */
  public long cpuNanos() {
    return ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.getId());
  }

  private void run() {
    while (running) {
      try {
        selector.select(this::ready, 50);
        Runnable task;
        while ((task = tasks.poll()) != null) {
          task.run();
        }
      } catch (IOException | RuntimeException e) {
        System.err.println("io loop: " + SseStream.describe(e));
      }
    }
    closeAll("client stopped");
  }

  private void ready(SelectionKey key) {
    ((SseStream) key.attachment()).ready(buffer);
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      thread.join(10_000);
      selector.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException ignored) {
      // best effort
    }
  }
}
