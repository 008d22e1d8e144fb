package dev.runstream.bench.scenario;

import dev.runstream.bench.Bench;
import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.sse.SseStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Plain calls for the indexes 0 … n-1 on a few threads, each thread with its own kept-alive
 * connection from the next source address, the indexes handed out in order.
 */
final class Parallel {

  /** The calls for one index, on the thread's connection. */
  interface Calls {
    void run(HttpCall call, int index) throws IOException;
  }

  private Parallel() {}

  /** Runs {@code calls} for every index; the exceptions they threw, by kind. */
  static Map<String, Long> run(Bench bench, String name, int n, int threads, Calls calls)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < Math.max(1, Math.min(threads, n)); t++) {
      int connection = t;
      Thread worker =
          new Thread(
              () -> {
                try (HttpCall call = bench.call(connection, 60_000)) {
                  for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    try {
                      calls.run(call, i);
                    } catch (IOException | RuntimeException e) {
                      errors
                          .computeIfAbsent(
                              Subscribers.kind(SseStream.describe(e)), k -> new LongAdder())
                          .increment();
                    }
                  }
                }
              },
              name + "-" + t);
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      worker.join();
    }
    Map<String, Long> kinds = new TreeMap<>();
    errors.forEach((k, v) -> kinds.put(k, v.sum()));
    return kinds;
  }
}
