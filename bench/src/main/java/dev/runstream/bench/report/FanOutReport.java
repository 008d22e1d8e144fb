package dev.runstream.bench.report;

import static dev.runstream.bench.report.Results.kib;
import static dev.runstream.bench.report.Results.map;
import static dev.runstream.bench.report.Results.num;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The fan-out steps: their table, their summary by rate, and charts over N and second by second.
 */
public final class FanOutReport {

  private FanOutReport() {}

  public static String table(List<Map<String, Object>> steps) {
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
    return "\nFan-out: one run, N subscribers\n\n"
        + t
        + referenceTable(steps)
        + stormTable(steps)
        + stuckTable(steps);
  }

  /** Every step's figures beside the reference's: service / reference (×ratio). */
  static String referenceTable(List<Map<String, Object>> steps) {
    List<String> figures = Ratios.TO_REFERENCE;
    List<String> headers = new ArrayList<>(List.of("subscribers", "events/s"));
    figures.forEach(f -> headers.add(f.replace("_", " ")));
    Table t = new Table(headers.toArray(String[]::new));
    boolean any = false;
    for (Map<String, Object> s : steps) {
      Map<String, Object> ratios = map(s, "ratio_to_reference");
      if (ratios.isEmpty()) {
        continue;
      }
      any = true;
      List<Object> row = new ArrayList<>(List.of(s.get("subscribers"), s.get("rate_per_s")));
      figures.forEach(f -> row.add(Ratios.cell(ratios, f)));
      t.add(row.toArray());
    }
    return any ? "\nThe service / the Node.js reference (×ratio)\n\n" + t : "";
  }

  /** The storm steps: how many streams of those opened at once connected, ended, went silent. */
  static String stormTable(List<Map<String, Object>> steps) {
    Table t =
        new Table(
            "server",
            "subscribers",
            "open after s",
            "connected",
            "complete",
            "silent",
            "conn err",
            "errors by kind");
    return section(
        "Storm: every stream opened at the same moment",
        t,
        steps,
        s -> Boolean.TRUE.equals(s.get("storm")),
        s ->
            new Object[] {
              s.get("server"),
              s.get("subscribers"),
              num(s, "connect_seconds"),
              s.get("connected"),
              s.get("complete_subscribers"),
              s.get("silent_streams"),
              s.get("connection_errors"),
              kinds(map(s, "error_kinds"))
            });
  }

  /** The stuck-clients steps: the healthy latency with and without them, and what was cut. */
  static String stuckTable(List<Map<String, Object>> steps) {
    Table t =
        new Table(
            "server",
            "subscribers",
            "stuck",
            "p50 ms with / without",
            "p99 ms with / without",
            "max ms with / without",
            "complete",
            "stuck cut (FIN + reset)",
            "stuck held",
            "unread KiB");
    return section(
        "Stuck clients: healthy subscribers' latency with / without them (×ratio)",
        t,
        steps,
        s -> !map(s, "ratio_to_without_stuck").isEmpty(),
        s -> {
          Map<String, Object> ratios = map(s, "ratio_to_without_stuck");
          Map<String, Object> stuck = map(s, "stuck");
          return new Object[] {
            s.get("server"),
            s.get("subscribers"),
            s.get("stuck_clients"),
            Ratios.cell(ratios, "latency.p50_ms"),
            Ratios.cell(ratios, "latency.p99_ms"),
            Ratios.cell(ratios, "latency.max_ms"),
            s.get("complete_subscribers"),
            stuck.get("closed_by_server") + " + " + stuck.get("reset"),
            stuck.get("held"),
            kib(num(stuck, "unread_bytes_queued"))
          };
        });
  }

  /**
   * A titled table of the measurements (the service's, the reference's) that {@code shown} picks,
   * one {@code row} each; empty when it picks none.
   */
  private static String section(
      String title,
      Table t,
      List<Map<String, Object>> steps,
      Predicate<Map<String, Object>> shown,
      Function<Map<String, Object>, Object[]> row) {
    boolean any = false;
    for (Map<String, Object> step : steps) {
      for (Map<String, Object> s : measurements(step)) {
        if (shown.test(s)) {
          any = true;
          t.add(row.apply(s));
        }
      }
    }
    return any ? "\n" + title + "\n\n" + t : "";
  }

  /** A step's measurement of the service, and of the reference when there is one. */
  private static List<Map<String, Object>> measurements(Map<String, Object> step) {
    Map<String, Object> reference = map(step, "reference");
    return reference.isEmpty() ? List.of(step) : List.of(step, reference);
  }

  /** {@code kind: n; kind: n}, or "-" for none. */
  static String kinds(Map<String, Object> errors) {
    if (errors.isEmpty()) {
      return "-";
    }
    StringBuilder out = new StringBuilder();
    errors.forEach(
        (k, v) -> out.append(out.length() > 0 ? "; " : "").append(k).append(": ").append(v));
    return out.toString().replace("|", "/");
  }

  public static Map<String, Object> summary(List<Map<String, Object>> steps) {
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

  public static void charts(List<Map<String, Object>> steps, Path dir) {
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
}
