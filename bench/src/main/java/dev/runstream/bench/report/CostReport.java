package dev.runstream.bench.report;

import static dev.runstream.bench.report.Results.kib;
import static dev.runstream.bench.report.Results.map;
import static dev.runstream.bench.report.Results.num;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cost run: memory by open idle streams, the slopes, what is left after the clients close,
 * growth by class, and its chart.
 */
public final class CostReport {

  private CostReport() {}

  @SuppressWarnings("unchecked")
  public static String tables(Map<String, Object> cost, Path dir) {
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
