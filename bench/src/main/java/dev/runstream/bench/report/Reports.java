package dev.runstream.bench.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tables and charts of each scenario's steps. */
public final class Reports {

  private Reports() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Map<?, ?> ? (Map<String, Object>) v : Map.of();
  }

  public static double num(Map<String, Object> m, String... path) {
    Map<String, Object> at = m;
    for (int i = 0; i < path.length - 1; i++) {
      at = map(at, path[i]);
    }
    return Percentiles.get(at, path[path.length - 1]);
  }

  private static Object kib(double bytes) {
    return Double.isNaN(bytes) ? null : bytes / 1024.0;
  }

  // --- fan-out ----------------------------------------------------------------------------------

  public static String fanOut(List<Map<String, Object>> steps) {
    Table t =
        new Table(
            "subscribers",
            "events/s",
            "published/s",
            "POST p50 ms",
            "connected",
            "delivered/s",
            "offered/s",
            "p50 ms",
            "p99 ms",
            "max ms",
            "lost",
            "dup",
            "conn err",
            "zero loss",
            "server cores",
            "server ms/1k ev",
            "client cores",
            "heap KiB/stream",
            "RSS KiB/stream");
    for (Map<String, Object> s : steps) {
      t.add(
          s.get("subscribers"),
          s.get("rate_per_s"),
          num(s, "published_per_s"),
          num(s, "publish_answer", "p50_ms"),
          s.get("connected"),
          s.get("delivered_events_per_s"),
          s.get("offered_events_per_s"),
          num(s, "latency", "p50_ms"),
          num(s, "latency", "p99_ms"),
          num(s, "latency", "max_ms"),
          s.get("lost_events"),
          s.get("duplicates"),
          s.get("connection_errors"),
          Boolean.TRUE.equals(s.get("zero_loss")) ? "yes" : "NO",
          num(s, "cpu", "server_cores"),
          num(s, "cpu", "server_cpu_ms_per_1000_events"),
          num(s, "cpu", "client_cores"),
          kib(num(s, "memory", "heap_bytes_per_stream")),
          kib(num(s, "memory", "rss_bytes_per_stream")));
    }
    return "\nFan-out: one run, N subscribers\n\n" + t;
  }

  public static Map<String, Object> fanOutSummary(List<Map<String, Object>> steps) {
    Map<String, Object> largest = new java.util.TreeMap<>();
    for (Map<String, Object> s : steps) {
      String rate = s.get("rate_per_s") + "_events_per_s";
      long n = ((Number) s.get("subscribers")).longValue();
      long best = ((Number) largest.getOrDefault(rate, 0L)).longValue();
      if (Boolean.TRUE.equals(s.get("zero_loss")) && n > best) {
        best = n;
      }
      largest.put(rate, best);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("largest_zero_loss_subscribers_by_rate", largest);
    m.put("steps", steps);
    return m;
  }

  /** The steps of each rate, in order of subscribers. */
  private static Map<Integer, List<Map<String, Object>>> byRate(List<Map<String, Object>> steps) {
    Map<Integer, List<Map<String, Object>>> rates = new java.util.TreeMap<>();
    for (Map<String, Object> s : steps) {
      rates
          .computeIfAbsent(((Number) s.get("rate_per_s")).intValue(), r -> new ArrayList<>())
          .add(s);
    }
    rates
        .values()
        .forEach(l -> l.sort(java.util.Comparator.comparingDouble(s -> num(s, "subscribers"))));
    return rates;
  }

  public static void fanOutCharts(List<Map<String, Object>> steps, Path dir) {
    Charts.Panel latency = new Charts.Panel("publish-to-receive p99 (max dashed), ms", true);
    Charts.Panel rate = new Charts.Panel("delivered events/s", false);
    Charts.Panel lost = new Charts.Panel("events lost, %", false);
    int color = 0;
    for (var e : byRate(steps).entrySet()) {
      List<Double> n = new ArrayList<>();
      List<Double> p99 = new ArrayList<>();
      List<Double> max = new ArrayList<>();
      List<Double> delivered = new ArrayList<>();
      List<Double> lostPct = new ArrayList<>();
      for (Map<String, Object> s : e.getValue()) {
        n.add(num(s, "subscribers"));
        p99.add(num(s, "latency", "p99_ms"));
        max.add(num(s, "latency", "max_ms"));
        delivered.add(num(s, "delivered_events_per_s"));
        double expected = num(s, "expected_events");
        lostPct.add(expected > 0 ? 100.0 * num(s, "lost_events") / expected : 0);
      }
      String label = e.getKey() + " ev/s";
      latency
          .line("p99, " + label, n, p99, color, false)
          .line("max, " + label, n, max, color, true);
      rate.line(label, n, delivered, color, false);
      lost.line(label, n, lostPct, color, false);
      color++;
    }
    Charts.write(
        dir.resolve("fanout.png"),
        "Fan-out: one run, N subscribers, one producer",
        "subscribers",
        true,
        latency,
        rate,
        lost);
    for (Map<String, Object> s : steps) {
      timelineChart(
          s,
          dir.resolve(
              "fanout-" + s.get("subscribers") + "@" + s.get("rate_per_s") + "-timeline.png"));
    }
  }

  @SuppressWarnings("unchecked")
  private static void timelineChart(Map<String, Object> s, Path file) {
    Map<String, Object> t = map(s, "timeline");
    List<Number> delivered = (List<Number>) t.getOrDefault("delivered_per_s", List.of());
    List<Integer> seconds = new ArrayList<>();
    for (int i = 0; i + 1 < delivered.size(); i++) { // the last second is a partial one
      seconds.add(i);
    }
    Charts.write(
        file,
        s.get("subscribers")
            + " subscribers, "
            + s.get("rate_per_s")
            + " events/s: second by second",
        "seconds since the first publish",
        false,
        new Charts.Panel("delivered events/s", false).line("delivered", seconds, delivered),
        new Charts.Panel("latency, ms (log)", true)
            .line("p50", seconds, (List<Number>) t.get("p50_ms"))
            .line("p99", seconds, (List<Number>) t.get("p99_ms"))
            .line("max", seconds, (List<Number>) t.get("max_ms")));
  }

  // --- many runs --------------------------------------------------------------------------------

  public static String runs(List<Map<String, Object>> steps) {
    Table t =
        new Table(
            "runs",
            "streams",
            "completed",
            "failed",
            "runs/s",
            "peak in flight",
            "create p50 ms",
            "create p99 ms",
            "run p50 s",
            "first delta p50 ms",
            "first event p50 ms",
            "first event p99 ms",
            "delta p50 ms",
            "delta p99 ms",
            "delta max ms",
            "conn err",
            "server cores",
            "client cores");
    for (Map<String, Object> s : steps) {
      t.add(
          s.get("runs"),
          s.get("streams"),
          s.get("completed_runs"),
          s.get("failed_runs"),
          num(s, "runs_per_s"),
          s.get("peak_in_flight"),
          num(s, "create", "p50_ms"),
          num(s, "create", "p99_ms"),
          num(s, "run_duration", "p50_ms") / 1000,
          num(s, "first_delta_after_create", "p50_ms"),
          num(s, "first_event", "p50_ms"),
          num(s, "first_event", "p99_ms"),
          num(s, "delta_latency", "p50_ms"),
          num(s, "delta_latency", "p99_ms"),
          num(s, "delta_latency", "max_ms"),
          s.get("connection_errors"),
          num(s, "cpu", "server_cores"),
          num(s, "cpu", "client_cores"));
    }
    return "\nMany runs: M concurrent echo runs\n\n" + t;
  }

  public static void runsChart(List<Map<String, Object>> steps, Path dir) {
    List<Double> m = new ArrayList<>();
    List<Double> rate = new ArrayList<>();
    List<Double> fe50 = new ArrayList<>();
    List<Double> fe99 = new ArrayList<>();
    List<Double> d99 = new ArrayList<>();
    List<Double> c99 = new ArrayList<>();
    for (Map<String, Object> s : steps) {
      m.add(num(s, "runs"));
      rate.add(num(s, "runs_per_s"));
      fe50.add(num(s, "first_event", "p50_ms"));
      fe99.add(num(s, "first_event", "p99_ms"));
      d99.add(num(s, "delta_latency", "p99_ms"));
      c99.add(num(s, "create", "p99_ms"));
    }
    Charts.write(
        dir.resolve("runs.png"),
        "Many runs: M concurrent echo runs",
        "concurrent runs",
        true,
        new Charts.Panel("runs completed/s", false).line("runs/s", m, rate),
        new Charts.Panel("ms (log)", true)
            .line("first event p50", m, fe50)
            .line("first event p99", m, fe99)
            .line("delta latency p99", m, d99)
            .line("create p99", m, c99));
  }

  // --- cost -------------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  public static String cost(Map<String, Object> cost, Path dir) {
    List<Map<String, Object>> points = (List<Map<String, Object>>) cost.get("points");
    Table t = new Table("open streams", "heap used MiB", "RSS MiB", "threads", "fds");
    List<Double> n = new ArrayList<>();
    List<Double> heap = new ArrayList<>();
    List<Double> rss = new ArrayList<>();
    for (Map<String, Object> p : points) {
      double heapMib = num(p, "heap_used_bytes") / 1048576.0;
      double rssMib = num(p, "rss_bytes") / 1048576.0;
      t.add(p.get("open_streams"), heapMib, rssMib, p.get("threads"), p.get("fds"));
      n.add(num(p, "open_streams"));
      heap.add(heapMib);
      rss.add(rssMib);
    }
    Charts.write(
        dir.resolve("cost.png"),
        "Server memory by open idle streams (after a full GC)",
        "open idle streams",
        true,
        new Charts.Panel("MiB", false).line("heap used", n, heap).line("RSS", n, rss));
    Table fit = new Table("figure", "value");
    fit.add("heap per idle stream (slope), KiB", kib(num(cost, "heap_bytes_per_stream")));
    fit.add(
        "heap per idle stream (slope from 0), KiB",
        kib(num(cost, "heap_bytes_per_stream_from_zero")));
    fit.add("RSS per idle stream (slope), KiB", kib(num(cost, "rss_bytes_per_stream")));
    fit.add("startup to first answer, ms (each start)", String.valueOf(cost.get("startup_ms")));
    Table classes = new Table("class", "instances/stream", "bytes/stream");
    for (Map<String, Object> row :
        (List<Map<String, Object>>) cost.getOrDefault("heap_growth_by_class", List.of())) {
      classes.add(row.get("class"), row.get("instances_per_stream"), row.get("bytes_per_stream"));
    }
    Map<String, Object> after = map(cost, "after_close");
    Table closed =
        new Table("after every client closed (+" + cost.get("close_wait_s") + " s)", "value");
    closed.add("heap used MiB", num(after, "heap_used_bytes") / 1048576.0);
    closed.add("RSS MiB", num(after, "rss_bytes") / 1048576.0);
    closed.add("fds", after.get("fds"));
    return "\nCost: server memory by idle streams\n\n"
        + t
        + "\n"
        + fit
        + "\n"
        + closed
        + "\nHeap growth per idle stream, by class (GC.class_histogram)\n\n"
        + classes;
  }
}
