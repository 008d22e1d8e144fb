package dev.runstream.bench.scenario;

import dev.runstream.bench.Bench;
import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.api.Runs;
import dev.runstream.bench.api.Target;
import dev.runstream.bench.api.Wire;
import dev.runstream.bench.report.Percentiles;
import dev.runstream.bench.server.CpuMeter;
import dev.runstream.bench.sse.LoopStats;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Fills the store with ended runs, fast: each an {@code external} run created, then ended with one
 * posted {@code run.completed} (so it holds three events: created, in progress, completed), on many
 * kept-alive connections at once. A refused call is counted and that run left as it is.
 */
final class Fill {

  /**
   * The runs' ids in the order they were handed out (null where the create failed), and figures.
   */
  record Result(String[] ids, long created, long completed, Map<String, Object> figures) {}

  private Fill() {}

  static Result run(Bench bench, int n, int connections) throws InterruptedException {
    Target target = bench.target();
    String[] ids = new String[n];
    Histogram create = new SynchronizedHistogram(LoopStats.HIGHEST, 3);
    Histogram complete = new SynchronizedHistogram(LoopStats.HIGHEST, 3);
    LongAdder created = new LongAdder();
    LongAdder completed = new LongAdder();
    Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    System.err.printf(
        "stored: filling the store with %,d runs on %d connections ...%n", n, connections);
    Progress progress = Progress.start("stored", completed, 0, "stored");
    long start = System.nanoTime();
    Map<String, Long> exceptions =
        Parallel.run(
            bench,
            "fill",
            n,
            connections,
            (call, i) -> {
              HttpCall.Response made = call.post(target.runs(), Runs.EXTERNAL);
              record(create, call);
              if (made.status() != 201) {
                count(refused, "create: " + AppendProducer.errorKind(made));
                return;
              }
              created.increment();
              ids[i] = Wire.runId(made.body());
              HttpCall.Response ended = call.post(target.events(ids[i]), Runs.COMPLETED);
              record(complete, call);
              if (ended.status() != 201) {
                count(refused, "complete: " + AppendProducer.errorKind(ended));
                return;
              }
              completed.increment();
            });
    double seconds = (System.nanoTime() - start) / 1e9;
    progress.stop();
    Map<String, Long> errors = new TreeMap<>(exceptions);
    refused.forEach((k, v) -> errors.put(k, v.sum()));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runs", n);
    m.put("connections", connections);
    m.put("created", created.sum());
    m.put("completed", completed.sum());
    m.put("seconds", CpuMeter.round(seconds));
    m.put("runs_per_s", CpuMeter.round(completed.sum() / seconds));
    m.put("create", Percentiles.millis(create));
    m.put("complete", Percentiles.millis(complete));
    m.put("errors", errors);
    return new Result(ids, created.sum(), completed.sum(), m);
  }

  private static void record(Histogram h, HttpCall call) {
    h.recordValue(Math.max(1, (System.nanoTime() - call.writtenNanos()) / 1000));
  }

  private static void count(Map<String, LongAdder> counts, String kind) {
    counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }
}
