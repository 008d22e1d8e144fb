package dev.runstream.bench.report;

import static dev.runstream.bench.report.Results.num;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The many-runs steps: their table and chart. */
public final class RunsReport {

  private RunsReport() {}

  public static String table(List<Map<String, Object>> steps) {
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

  public static void chart(List<Map<String, Object>> steps, Path dir) {
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
}
