package dev.runstream.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two measurements of one step held side by side (the service and the reference, or a step with and
 * without stuck clients): each figure of both, and their ratio, this / other.
 */
public final class Ratios {

  /** The figures compared with the reference: latency, throughput, streams, errors, cost. */
  public static final List<String> TO_REFERENCE =
      List.of(
          "latency.p50_ms",
          "latency.p99_ms",
          "latency.max_ms",
          "first_event.p99_ms",
          "published_per_s",
          "delivered_events_per_s",
          "connected",
          "complete_subscribers",
          "connection_errors",
          "silent_streams",
          "cpu.server_cores",
          "cpu.server_cpu_ms_per_1000_events",
          "memory.rss_bytes_per_stream");

  /** The healthy subscribers' latency, with and without stuck clients. */
  public static final List<String> LATENCY =
      List.of("latency.p50_ms", "latency.p99_ms", "latency.max_ms");

  private Ratios() {}

  /**
   * {@code figure: {"this", "other", "ratio"}} for each figure (dotted path) of {@code figures}.
   */
  public static Map<String, Object> of(
      Map<String, Object> one, Map<String, Object> other, List<String> figures) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String figure : figures) {
      String[] path = figure.split("\\.");
      double a = Results.num(one, path);
      double b = Results.num(other, path);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("this", value(a));
      row.put("other", value(b));
      row.put("ratio", ratio(a, b));
      m.put(figure, row);
    }
    return m;
  }

  /** A figure as the tables show it: a whole number as one, null when unknown. */
  private static Object value(double v) {
    if (Double.isNaN(v)) {
      return null;
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v;
  }

  /**
   * {@code a / b} to three decimals; null when either is unknown or negative (a memory figure per
   * stream that fell: noise, not a size), or {@code b} is 0.
   */
  static Double ratio(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b) || a < 0 || b <= 0) {
      return null;
    }
    return Math.round(a / b * 1000) / 1000.0;
  }

  /** A table cell: {@code this / other (×ratio)}, or {@code this / other} without a ratio. */
  static String cell(Map<String, Object> ratios, String figure) {
    Map<String, Object> row = Results.map(ratios, figure);
    if (row.isEmpty()) {
      return "-";
    }
    String both = Table.cell(row.get("this")) + " / " + Table.cell(row.get("other"));
    Object ratio = row.get("ratio");
    return ratio == null ? both : both + " (×" + Table.cell(ratio) + ")";
  }
}
