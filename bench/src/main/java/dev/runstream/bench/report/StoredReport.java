package dev.runstream.bench.report;

import static dev.runstream.bench.report.Results.map;
import static dev.runstream.bench.report.Results.num;

import java.util.List;
import java.util.Map;

/** The stored run: memory at each moment, the fill, the restart, the reads, growth by class. */
public final class StoredReport {

  private static final double MIB = 1048576.0;

  private StoredReport() {}

  @SuppressWarnings("unchecked")
  public static String tables(Map<String, Object> s) {
    Table memory =
        new Table("moment", "runs stored", "live heap MiB", "heap used MiB", "RSS MiB", "threads");
    for (Map<String, Object> m : (List<Map<String, Object>>) s.get("memory")) {
      memory.add(
          m.get("moment"),
          m.get("runs_stored"),
          num(m, "live_heap_bytes") / MIB,
          num(m, "heap_used_bytes") / MIB,
          num(m, "rss_bytes") / MIB,
          m.get("threads"));
    }
    Map<String, Object> fill = map(s, "fill");
    Map<String, Object> walk = map(s, "list_walk_after_restart");
    Table figures = new Table("figure", "value");
    figures.add(
        "runs filled (created / completed)", fill.get("created") + " / " + fill.get("completed"));
    figures.add(
        "fill runs/s (" + fill.get("connections") + " connections)", num(fill, "runs_per_s"));
    figures.add("fill create p50 / p99 ms", pair(fill, "create"));
    figures.add("fill complete p50 / p99 ms", pair(fill, "complete"));
    figures.add(
        "fill errors",
        map(fill, "errors").values().stream().mapToLong(v -> ((Number) v).longValue()).sum());
    figures.add(
        "live heap after filling - before, MiB",
        num(s, "heap_difference", "difference_bytes") / MIB);
    figures.add("  per run stored, bytes", num(s, "heap_difference", "bytes_per_run"));
    figures.add("store files MiB", num(s, "store_bytes") / MIB);
    figures.add("startup on the empty store ms", s.get("startup_empty_ms"));
    figures.add("stop (SIGTERM to exit) ms", s.get("stop_ms"));
    figures.add("restart on the full store ms", s.get("restart_ms"));
    figures.add(
        "runs listed after restart / expected",
        walk.isEmpty()
            ? null
            : Table.cell(walk.get("runs_listed")) + " / " + Table.cell(walk.get("runs_expected")));
    figures.add(
        "list walk: pages, page p50 / p99 ms",
        walk.isEmpty() ? null : Table.cell(walk.get("pages")) + ", " + pair(walk, "page"));
    Table reads =
        new Table("read", "before restart p50 / p99 / max ms", "after restart p50 / p99 / max ms");
    Map<String, Object> before = map(s, "reads");
    Map<String, Object> after = map(s, "reads_after_restart");
    reads.add(
        "GET the oldest run, first time",
        num(before, "get_oldest_run_first_ms"),
        num(after, "get_oldest_run_first_ms"));
    reads.add(
        "GET an old run (each once)", triple(before, "get_old_run"), triple(after, "get_old_run"));
    reads.add(
        "list, newest page of 100",
        triple(before, "list_newest_page"),
        triple(after, "list_newest_page"));
    reads.add(
        "list, page of 100 after the middle run",
        triple(before, "list_deep_page"),
        triple(after, "list_deep_page"));
    Table classes = new Table("class", "instances/run", "bytes/run", "bytes");
    for (Map<String, Object> row :
        (List<Map<String, Object>>) s.getOrDefault("heap_growth_by_class", List.of())) {
      classes.add(
          row.get("class"),
          row.get("instances_per_run"),
          row.get("bytes_per_run"),
          row.get("bytes"));
    }
    return "\nStored: the server with "
        + s.get("stored")
        + " ended runs in its store\n\n"
        + memory
        + "\n"
        + figures
        + "\n"
        + reads
        + "\nLive heap growth from before to after filling, by class (GC.class_histogram)\n\n"
        + classes;
  }

  private static String pair(Map<String, Object> m, String key) {
    return Table.cell(num(m, key, "p50_ms")) + " / " + Table.cell(num(m, key, "p99_ms"));
  }

  private static String triple(Map<String, Object> m, String key) {
    return pair(m, key) + " / " + Table.cell(num(m, key, "max_ms"));
  }
}
