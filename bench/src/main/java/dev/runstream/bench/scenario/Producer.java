package dev.runstream.bench.scenario;

import dev.runstream.bench.api.EventTypes;
import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.api.Target;
import dev.runstream.bench.sse.Clock;
import dev.runstream.bench.sse.LoopStats;
import dev.runstream.bench.sse.SseStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The external producer of the fan-out: posts {@code bench.tick} events of a fixed size at a fixed
 * rate on one kept-alive connection. Each event carries its sequence number and its publish time
 * ({@link Clock} microseconds, taken just before the request is written). The schedule is fixed in
 * advance: a slow answer delays the next post, and {@code late} records by how much. Publishing
 * stops when the duration is over, so a server that answers slowly gets fewer events: the published
 * rate then falls short of the offered one.
 */
public final class Producer {

  record Result(
      long published,
      long errors,
      Map<String, Long> errorKinds,
      Histogram answer,
      Histogram late,
      long firstMicros,
      long lastMicros) {}

  private Producer() {}

  /** The body of tick {@code seq}, padded to {@code bytes}. */
  static String tick(long seq, long micros, int bytes) {
    String head =
        "{\"type\":\"" + EventTypes.TICK_NAME + "\",\"data\":{\"seq\":" + seq + ",\"t\":" + micros;
    String tail = ",\"pad\":\"\"}}";
    int pad = Math.max(0, bytes - head.length() - tail.length());
    return head + ",\"pad\":\"" + "x".repeat(pad) + "\"}}";
  }

  static Result publish(Target target, String runId, int rate, int seconds, int bytes) {
    Histogram answer = new Histogram(LoopStats.HIGHEST, 3);
    Histogram late = new Histogram(LoopStats.HIGHEST, 3);
    Map<String, Long> errorKinds = new TreeMap<>();
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    long count = (long) rate * seconds;
    long end;
    long published = 0;
    long errors = 0;
    long first = 0;
    long last = 0;
    String path = target.events(runId);
    try (HttpCall call = new HttpCall(target, 30_000)) {
      long start = System.nanoTime();
      end = start + TimeUnit.SECONDS.toNanos(seconds);
      for (long seq = 0; seq < count && System.nanoTime() < end; seq++) {
        long due = start + seq * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        long sent = System.nanoTime();
        late.recordValue(Math.max(1, Math.min(LoopStats.HIGHEST, (sent - due) / 1000)));
        long micros = Clock.micros();
        if (first == 0) {
          first = micros;
        }
        try {
          HttpCall.Response r = call.post(path, tick(seq, micros, bytes));
          if (r.status() == 201) {
            published++;
          } else {
            errors++;
            errorKinds.merge("status " + r.status(), 1L, Long::sum);
          }
        } catch (IOException e) {
          errors++;
          errorKinds.merge(SseStream.describe(e), 1L, Long::sum);
        }
        answer.recordValue(
            Math.max(1, Math.min(LoopStats.HIGHEST, (System.nanoTime() - sent) / 1000)));
        last = micros;
      }
    }
    return new Result(published, errors, errorKinds, answer, late, first, last);
  }
}
