package dev.runstream.bench.scenario;

import dev.runstream.bench.api.EventTypes;
import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.api.Wire;
import dev.runstream.bench.sse.LoopStats;
import dev.runstream.bench.sse.SseStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One producer of the appends scenario, closed loop: on its own kept-alive connection it posts
 * {@code bench.tick} events to its run one after the other, each as soon as the previous one is
 * answered, until the window ends. A 503 waits its {@code Retry-After} (at most until the end), as
 * a real producer would. It keeps every id the server acknowledged with the {@code seq} posted, and
 * its own figures (one thread writes them; they are read after it has ended).
 */
final class AppendProducer implements Runnable {

  private static final long IO_ERROR_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final HttpCall call;
  private final String path;
  private final AtomicLong seqs;
  private final Window window;
  private final int bytes;
  private final LongAdder ackedAll;

  /** Append latency (request written to answer read), microseconds, of the measured window. */
  final Histogram latency = new Histogram(LoopStats.HIGHEST, 3);

  /** Acknowledgements by second of the step, and the longest append of each, microseconds. */
  final long[] perSecond;

  final long[] maxPerSecond;
  final Map<String, Long> errors = new TreeMap<>();

  /** Acknowledged in the measured window. */
  long acked;

  private long[] ackedIds = new long[1024];
  private long[] ackedSeqs = new long[1024];
  private int ackedCount;

  AppendProducer(
      HttpCall call, String path, AtomicLong seqs, Window window, int bytes, LongAdder ackedAll) {
    this.call = call;
    this.path = path;
    this.seqs = seqs;
    this.window = window;
    this.bytes = bytes;
    this.ackedAll = ackedAll;
    int seconds = window.second(window.end()); // whole seconds only: the warm-up and the duration
    this.perSecond = new long[seconds];
    this.maxPerSecond = new long[seconds];
  }

  /** The body of tick {@code seq}, padded to {@code bytes}. */
  static String tick(long seq, int bytes) {
    String head = "{\"type\":\"" + EventTypes.TICK_NAME + "\",\"data\":{\"seq\":" + seq;
    String tail = ",\"pad\":\"\"}}";
    int pad = Math.max(0, bytes - head.length() - tail.length());
    return head + ",\"pad\":\"" + "x".repeat(pad) + "\"}}";
  }

  @Override
  public void run() {
    try (call) {
      while (System.nanoTime() < window.end()) {
        long seq = seqs.incrementAndGet();
        HttpCall.Response answer;
        try {
          answer = call.post(path, tick(seq, bytes));
        } catch (IOException e) {
          errors.merge(Subscribers.kind(SseStream.describe(e)), 1L, Long::sum);
          LockSupport.parkNanos(IO_ERROR_PAUSE_NANOS);
          continue;
        }
        long answered = System.nanoTime();
        if (answer.status() == 201) {
          acknowledged(Wire.eventId(answer.body()), seq, call.writtenNanos(), answered);
        } else {
          errors.merge(errorKind(answer), 1L, Long::sum);
          waitRetryAfter(answer.retryAfter());
        }
      }
    }
  }

  private void acknowledged(long id, long seq, long written, long answered) {
    ackedAll.increment();
    if (ackedCount == ackedIds.length) {
      ackedIds = Arrays.copyOf(ackedIds, ackedCount * 2);
      ackedSeqs = Arrays.copyOf(ackedSeqs, ackedCount * 2);
    }
    ackedIds[ackedCount] = id;
    ackedSeqs[ackedCount] = seq;
    ackedCount++;
    long micros = Math.max(1, Math.min(LoopStats.HIGHEST, (answered - written) / 1000));
    if (window.measures(written)) {
      latency.recordValue(micros);
    }
    if (window.counts(answered)) {
      acked++;
    }
    int second = window.second(answered);
    if (second >= 0 && second < perSecond.length) {
      perSecond[second]++;
      maxPerSecond[second] = Math.max(maxPerSecond[second], micros);
    }
  }

  /** A refusal as the tables count it: its status, and its {@code Retry-After} if it has one. */
  static String errorKind(HttpCall.Response answer) {
    return "status "
        + answer.status()
        + (answer.retryAfter() == null ? "" : " (Retry-After " + answer.retryAfter() + ")");
  }

  private void waitRetryAfter(String retryAfter) {
    if (retryAfter == null) {
      return;
    }
    try {
      long wait = TimeUnit.SECONDS.toNanos(Long.parseLong(retryAfter.trim()));
      LockSupport.parkNanos(Math.min(wait, window.end() - System.nanoTime()));
    } catch (NumberFormatException dateNotSeconds) {
      // an HTTP date: retry at once
    }
  }

  /** Hands this producer's acknowledgements, in the order it got them, to its run's check. */
  void acknowledgedTo(AckCheck check) {
    check.acknowledged(ackedIds, ackedSeqs, ackedCount);
  }

  long ackedTotal() {
    return ackedCount;
  }
}
