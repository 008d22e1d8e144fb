package dev.runstream.bench.scenario;

import dev.runstream.bench.Bench;
import dev.runstream.bench.Options;
import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.report.Percentiles;
import dev.runstream.bench.server.ClassHistogram;
import dev.runstream.bench.server.Machine;
import dev.runstream.bench.server.ServerProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Stored: what a store full of ended runs costs the server. Its live heap (after a full GC) at boot
 * on an empty store and after the warm-up, then after filling the store with N ended runs; the
 * reads of old runs and of list pages; then a stop (SIGTERM) and a start on the same store: its
 * restart time (launch to first answer), its heap, the same reads, and a walk of every list page
 * that counts the runs the store still holds.
 */
public final class Stored {

  private final Bench bench;

  public Stored(Bench bench) {
    this.bench = bench;
  }

  public Map<String, Object> run() throws IOException, InterruptedException {
    Options o = bench.options;
    String tag = "stored";
    bench.beforeStep(tag, false);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("stored", o.stored);
    r.put("fill_connections", o.fillConnections);
    r.put("samples", o.samples);
    r.put("store", o.storeUrl == null ? "h2" : "database at --store-url");
    r.put("load_before", Machine.loadAverage());
    List<Map<String, Object>> moments = new ArrayList<>();
    r.put("memory", moments);
    if (bench.server() != null) {
      r.put("startup_empty_ms", bench.server().startupMillis);
    }
    moments.add(moment("boot, empty store", liveHeap(), null));
    Warmup.run(bench, o.serverWarmup());
    ClassHistogram heapBefore = liveHeap();
    Map<String, Object> beforeFill = moment("before filling (after the warm-up)", heapBefore, null);
    moments.add(beforeFill);
    long before = ((Number) beforeFill.get("runs_stored")).longValue();

    Fill.Result fill = Fill.run(bench, o.stored, o.fillConnections);
    r.put("fill", fill.figures());
    try (HttpCall call = bench.call(0, 60_000)) {
      r.put("stats_after_fill", call.get(bench.target().stats()).body().trim());
    }
    ClassHistogram heapAfter = liveHeap();
    moments.add(moment("after filling", heapAfter, before + fill.created()));
    if (heapBefore != null) {
      r.put("heap_difference", difference(heapBefore.bytes(), heapAfter.bytes(), fill.created()));
      r.put(
          "heap_growth_by_class",
          ServerProbe.growth(heapBefore.classes(), heapAfter.classes(), fill.created(), 15, "run"));
    }
    try (HttpCall call = bench.call(0, 60_000)) {
      r.put("reads", StoredReads.measure(call, bench.target(), fill.ids(), o.samples));
    }
    Path store = bench.store();
    if (store != null) {
      r.put("store_bytes", folderBytes(store));
    }
    if (bench.server() != null) {
      long stopMs = bench.restartServer(tag + "-restart");
      r.put("stop_ms", stopMs);
      r.put("restart_ms", bench.server().startupMillis);
      moments.add(moment("after restart", liveHeap(), before + fill.created()));
      try (HttpCall call = bench.call(0, 60_000)) {
        r.put(
            "reads_after_restart",
            StoredReads.measure(call, bench.target(), fill.ids(), o.samples));
        ListWalk.Result walk = ListWalk.walk(call::get, bench.target(), StoredReads.PAGE);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("runs_listed", walk.runs());
        w.put("runs_expected", before + fill.created());
        w.put("all_listed", walk.error() == null && walk.runs() == before + fill.created());
        w.put("pages", walk.pages());
        w.put("page", Percentiles.millis(walk.latency()));
        w.put("error", walk.error());
        r.put("list_walk_after_restart", w);
      }
    }
    r.put("load_after", Machine.loadAverage());
    bench.stopServer();
    return r;
  }

  /**
   * The server's memory now: its live heap {@code live} (just read), the heap after a full GC as
   * the JVM reports it, RSS; with {@code runs} stored (null: counted by walking the list, after the
   * memory is read).
   */
  private Map<String, Object> moment(String label, ClassHistogram live, Long runs)
      throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("moment", label);
    if (live != null) {
      m.put("live_heap_bytes", live.bytes());
      m.putAll(bench.probe().memoryAfterGc().json());
    }
    if (runs == null) {
      try (HttpCall call = bench.call(0, 60_000)) {
        runs = ListWalk.walk(call::get, bench.target(), StoredReads.PAGE).runs();
      }
    }
    m.put("runs_stored", runs);
    return m;
  }

  private ClassHistogram liveHeap() {
    return bench.probe() == null ? null : bench.probe().liveHeap();
  }

  /** The live heap after a fill against before it, in all and per run stored. */
  static Map<String, Object> difference(long before, long after, long runs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("live_heap_before_bytes", before);
    m.put("live_heap_after_bytes", after);
    m.put("difference_bytes", after - before);
    m.put("bytes_per_run", runs > 0 ? Math.round((after - before) * 10.0 / runs) / 10.0 : null);
    return m;
  }

  /** The bytes of every file under {@code folder} (the H2 database's files). */
  static long folderBytes(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }
}
