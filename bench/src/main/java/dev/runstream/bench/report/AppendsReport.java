package dev.runstream.bench.report;

import static dev.runstream.bench.report.Results.map;
import static dev.runstream.bench.report.Results.num;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The appends step: its table, what was refused, the history check, and its timeline chart. */
public final class AppendsReport {

  private AppendsReport() {}

  public static String tables(Map<String, Object> a) {
    Table t =
        new Table(
            "runs",
            "producers",
            "batch",
            "acked ev/s",
            "acked req/s",
            "acked",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "max ms",
            "errors",
            "503",
            "server cores",
            "server ms/1k ev",
            "client cores",
            "live heap MiB",
            "RSS MiB");
    t.add(
        a.get("runs"),
        a.get("producers"),
        a.getOrDefault("batch", 1),
        num(a, "acked_per_s"),
        num(a, "acked_requests_per_s"),
        a.get("acked_events"),
        num(a, "latency", "p50_ms"),
        num(a, "latency", "p90_ms"),
        num(a, "latency", "p99_ms"),
        num(a, "latency", "max_ms"),
        a.get("errors"),
        a.get("rejected_503"),
        num(a, "cpu", "server_cores"),
        num(a, "cpu", "server_cpu_ms_per_1000_events"),
        num(a, "cpu", "client_cores"),
        num(a, "memory", "live_heap_bytes") / 1048576.0,
        num(a, "memory", "rss_bytes") / 1048576.0);
    Map<String, Object> c = map(a, "check");
    Table check =
        new Table(
            "runs checked",
            "runs ok",
            "acked (with warm-up)",
            "missing",
            "wrong seq",
            "out of order",
            "bad acks",
            "gaps",
            "dup",
            "stored, not acked",
            "stream errors");
    check.add(
        c.get("runs_checked"),
        c.get("runs_ok"),
        c.get("acknowledged"),
        c.get("missing"),
        c.get("mismatched"),
        c.get("acks_out_of_order"),
        c.get("acks_malformed"),
        c.get("gaps"),
        c.get("duplicates"),
        c.get("stored_unacknowledged"),
        map(c, "stream_errors").values().stream().mapToLong(v -> ((Number) v).longValue()).sum());
    Object batch = a.getOrDefault("batch", 1);
    String posting =
        Integer.valueOf(1).equals(batch)
            ? "one event a request"
            : "batches of " + batch + " events (latency per request, CPU per event)";
    StringBuilder out =
        new StringBuilder("\nAppends: producers posting as fast as they are acknowledged, ")
            .append(posting)
            .append("\n\n")
            .append(t)
            .append("\nHistory read back after run.completed: every acknowledged id present\n\n")
            .append(check);
    Map<String, Object> errors = map(a, "error_kinds");
    if (!errors.isEmpty()) {
      Table e = new Table("refused or failed appends", "count");
      errors.forEach(e::add);
      out.append('\n').append(e);
    }
    Map<String, Object> streamErrors = map(c, "stream_errors");
    if (!streamErrors.isEmpty()) {
      Table e = new Table("history streams that failed", "count");
      streamErrors.forEach(e::add);
      out.append('\n').append(e);
    }
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  public static void chart(Map<String, Object> a, Path dir) {
    Map<String, Object> timeline = map(a, "timeline");
    List<Number> acked = (List<Number>) timeline.getOrDefault("acked_per_s", List.of());
    List<Number> max = (List<Number>) timeline.getOrDefault("max_ms", List.of());
    List<Integer> seconds = new ArrayList<>();
    for (int i = 0; i < acked.size(); i++) {
      seconds.add(i);
    }
    Charts.write(
        dir.resolve("appends-timeline.png"),
        "Appends, second by second (the first " + a.get("warmup_s") + " s are the warm-up)",
        "seconds since posting began",
        false,
        new Charts.Panel("acknowledged events/s", false).line("acknowledged", seconds, acked),
        new Charts.Panel("longest append ms (log)", true).line("max", seconds, max));
  }
}
