package dev.runstream.bench.scenario;

import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.api.Target;
import dev.runstream.bench.api.Wire;
import dev.runstream.bench.sse.LoopStats;
import java.io.IOException;
import org.HdrHistogram.Histogram;

/**
 * Pages through every stored run, newest first ({@code GET /runs?limit=L&after=ID} until {@code
 * has_more} is false): how many there are, and how long each page took. Stops at the first answer
 * that is not a 200.
 */
final class ListWalk {

  /** The calls the walk makes: {@link HttpCall#get}, say. */
  interface Pages {
    HttpCall.Response get(String path) throws IOException;
  }

  /** What the walk found: the runs, the pages, each page's time (microseconds), the failure. */
  record Result(long runs, long pages, Histogram latency, String error) {}

  private ListWalk() {}

  static Result walk(Pages pages, Target target, int limit) throws IOException {
    Histogram latency = new Histogram(LoopStats.HIGHEST, 3);
    long runs = 0;
    long count = 0;
    String after = null;
    while (true) {
      String path = target.runs() + "?limit=" + limit + (after == null ? "" : "&after=" + after);
      long sent = System.nanoTime();
      HttpCall.Response page = pages.get(path);
      latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
      count++;
      if (page.status() != 200) {
        return new Result(runs, count, latency, "status " + page.status() + " at page " + count);
      }
      var ids = Wire.listedRunIds(page.body());
      runs += ids.size();
      if (!Wire.hasMore(page.body()) || ids.isEmpty()) {
        return new Result(runs, count, latency, null);
      }
      after = ids.get(ids.size() - 1);
    }
  }
}
