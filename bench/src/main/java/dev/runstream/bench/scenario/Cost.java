package dev.runstream.bench.scenario;

import dev.runstream.bench.Bench;
import dev.runstream.bench.Options;
import dev.runstream.bench.api.Runs;
import dev.runstream.bench.api.Target;
import dev.runstream.bench.report.Results;
import dev.runstream.bench.server.Machine;
import dev.runstream.bench.server.ServerProbe;
import dev.runstream.bench.sse.IoLoop;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Cost: the server's startup time (launch to first answer, several starts), then its memory after a
 * full GC with 0, N/points, ..., N idle streams open on one run. The slope of heap and RSS over the
 * open streams is the cost of one idle stream. Needs the server's PID.
 */
public final class Cost {

  private final Bench bench;

  public Cost(Bench bench) {
    this.bench = bench;
  }

  public Map<String, Object> run() throws IOException, InterruptedException {
    Options o = bench.options;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("load_before", Machine.loadAverage());
    if (o.managed()) {
      List<Long> startups = new ArrayList<>();
      for (int i = 0; i < Math.max(1, o.startups); i++) {
        bench.stopServer();
        bench.beforeStep("cost-" + i, i == Math.max(1, o.startups) - 1);
        startups.add(bench.server().startupMillis);
      }
      r.put("startup_ms", startups);
    }
    ServerProbe probe = bench.probe();
    if (probe == null) {
      r.put("error", "cost needs the server's PID: start it with the tool or give --server-pid");
      r.put("points", List.of());
      return r;
    }
    Target target = bench.target();
    String runId = Runs.createExternal(target);
    int n = o.streams;
    Semaphore pending = new Semaphore(1000);
    Subscribers handler = new Subscribers(n, pending);
    List<Map<String, Object>> points = new ArrayList<>();
    points.add(point(probe, 0));
    // a few streams first, so one-off costs (classes, pools, JIT) are in the baseline of the slope
    int warm = Math.max(1, Math.min(100, n / 10));
    List<Integer> goals = new ArrayList<>(List.of(warm));
    for (int p = 1; p <= o.points; p++) {
      goals.add((int) ((long) n * p / o.points));
    }
    Map<String, long[]> histogramWarm = null;
    int opened = 0;
    for (int goal : goals) {
      bench.openAtRate(
          opened,
          goal - opened,
          pending,
          i -> bench.stream(i, target.events(runId), handler, new Subscriber()));
      opened = goal;
      long deadline = System.nanoTime() + o.connectTimeout * 1_000_000_000L;
      while (n - handler.connected.getCount() < goal && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      Thread.sleep(3000);
      long open = goal - (n - handler.finished.getCount());
      System.err.printf("cost: %d streams open%n", open);
      points.add(point(probe, open));
      if (goal == warm) {
        histogramWarm = probe.classHistogram();
      }
    }
    Map<String, long[]> histogramAll = probe.classHistogram();
    long added =
        Results.num(points.get(points.size() - 1), "open_streams") > 0
            ? (long)
                (Results.num(points.get(points.size() - 1), "open_streams")
                    - Results.num(points.get(1), "open_streams"))
            : 0;
    r.put("points", points);
    List<Map<String, Object>> fitted = points.subList(1, points.size());
    r.put("heap_bytes_per_stream", slope(fitted, "heap_used_bytes"));
    r.put("rss_bytes_per_stream", slope(fitted, "rss_bytes"));
    r.put("heap_bytes_per_stream_from_zero", slope(points, "heap_used_bytes"));
    r.put("heap_growth_by_class", ServerProbe.growth(histogramWarm, histogramAll, added, 25));
    for (IoLoop loop : bench.loops) {
      loop.call(
          () -> {
            loop.closeAll("client closed");
            return null;
          });
    }
    // the server finds closed streams only when it writes to them: the heartbeat
    Thread.sleep(o.closeWait * 1000L);
    r.put("close_wait_s", o.closeWait);
    r.put("after_close", point(probe, 0));
    r.put(
        "heap_left_after_close_by_class",
        ServerProbe.growth(histogramWarm, probe.classHistogram(), 0, 15));
    Runs.complete(target, runId);
    r.put("load_after", Machine.loadAverage());
    bench.stopServer();
    return r;
  }

  private static Map<String, Object> point(ServerProbe probe, long open) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("open_streams", open);
    m.putAll(probe.memoryAfterGc().json());
    return m;
  }

  /** Least-squares slope of {@code key} over the open streams, in bytes per stream. */
  static double slope(List<Map<String, Object>> points, String key) {
    double n = points.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (Map<String, Object> p : points) {
      double x = Results.num(p, "open_streams");
      double y = Results.num(p, key);
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    double d = n * sxx - sx * sx;
    return d == 0 ? Double.NaN : Math.round((n * sxy - sx * sy) / d);
  }
}
