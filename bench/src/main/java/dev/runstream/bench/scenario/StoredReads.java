package dev.runstream.bench.scenario;

import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.api.Target;
import dev.runstream.bench.report.Percentiles;
import dev.runstream.bench.sse.LoopStats;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * The reads measured on a full store, on one kept-alive connection: a GET of the oldest filled run
 * (the first read of it: cold), GETs of the next {@code samples} old runs (each once), and {@code
 * samples} reads each of the newest list page and of a deep one (the page after the middle run),
 * 100 runs a page.
 */
final class StoredReads {

  static final int PAGE = 100;

  private StoredReads() {}

  static Map<String, Object> measure(HttpCall call, Target target, String[] ids, int samples)
      throws IOException {
    List<String> filled = Arrays.stream(ids).filter(Objects::nonNull).toList();
    Map<String, Object> m = new LinkedHashMap<>();
    long[] errors = new long[1];
    if (filled.isEmpty()) {
      m.put("error", "no run was filled");
      return m;
    }
    Histogram first = new Histogram(LoopStats.HIGHEST, 3);
    time(call, target.run(filled.get(0)), first, errors);
    m.put("get_oldest_run_first_ms", Percentiles.millis(first).get("max_ms"));
    Histogram old = new Histogram(LoopStats.HIGHEST, 3);
    for (String id : filled.subList(1, Math.min(filled.size(), samples + 1))) {
      time(call, target.run(id), old, errors);
    }
    m.put("get_old_run", Percentiles.millis(old));
    m.put("list_newest_page", repeat(call, target.runs() + "?limit=" + PAGE, samples, errors));
    String middle = filled.get(filled.size() / 2);
    m.put(
        "list_deep_page",
        repeat(call, target.runs() + "?limit=" + PAGE + "&after=" + middle, samples, errors));
    m.put("errors", errors[0]);
    return m;
  }

  private static Map<String, Object> repeat(HttpCall call, String path, int samples, long[] errors)
      throws IOException {
    Histogram h = new Histogram(LoopStats.HIGHEST, 3);
    for (int i = 0; i < samples; i++) {
      time(call, path, h, errors);
    }
    return Percentiles.millis(h);
  }

  private static void time(HttpCall call, String path, Histogram h, long[] errors)
      throws IOException {
    HttpCall.Response answer = call.get(path);
    h.recordValue(Math.max(1, (System.nanoTime() - call.writtenNanos()) / 1000));
    if (answer.status() != 200) {
      errors[0]++;
    }
  }
}
