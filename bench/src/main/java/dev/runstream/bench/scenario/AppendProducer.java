package dev.runstream.bench.scenario;

import dev.runstream.bench.api.EventTypes;
import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.api.Wire;
import dev.runstream.bench.sse.LoopStats;
import dev.runstream.bench.sse.SseStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One producer of the appends scenario, closed loop: on its own kept-alive connection it posts
 * {@code bench.tick} events to its run one request after the other, each as soon as the previous
 * one is answered, until the window ends: one event per request, or a batch of {@code batch} ticks
 * with consecutive {@code seq}s ({@code {"events": [...]}}). A 503 waits its {@code Retry-After}
 * (at most until the end), as a real producer would. It keeps every id range the server
 * acknowledged with the {@code seq}s posted, and its own figures, events and requests (one thread
 * writes them; they are read after it has ended).
 */
final class AppendProducer implements Runnable {

  private static final long IO_ERROR_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final HttpCall call;
  private final String path;
  private final AtomicLong seqs;
  private final Window window;
  private final int bytes;
  private final int batch;
  private final LongAdder ackedAll;

  /** Request latency (written to answer read), microseconds, of the measured window. */
  final Histogram latency = new Histogram(LoopStats.HIGHEST, 3);

  /** Acknowledged events by second of the step, and the longest request of each, microseconds. */
  final long[] perSecond;

  final long[] maxPerSecond;
  final Map<String, Long> errors = new TreeMap<>();

  /** Events acknowledged in the measured window. */
  long acked;

  /** Requests acknowledged in the measured window. */
  long ackedRequests;

  /** Every acknowledgement, warm-up included, in the order they came. */
  private final List<AckCheck.Ack> acks = new ArrayList<>();

  private long ackedEvents;

  AppendProducer(
      HttpCall call,
      String path,
      AtomicLong seqs,
      Window window,
      int bytes,
      int batch,
      LongAdder ackedAll) {
    this.call = call;
    this.path = path;
    this.seqs = seqs;
    this.window = window;
    this.bytes = bytes;
    this.batch = batch;
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

  /**
   * The body of a request of {@code batch} ticks from {@code firstSeq} on, each padded to {@code
   * bytes}: the tick itself for one, else {@code {"events": [ticks]}}.
   */
  static String body(long firstSeq, int batch, int bytes) {
    if (batch == 1) {
      return tick(firstSeq, bytes);
    }
    StringBuilder body = new StringBuilder(13 + batch * (bytes + 1)).append("{\"events\":[");
    for (int i = 0; i < batch; i++) {
      body.append(i == 0 ? "" : ",").append(tick(firstSeq + i, bytes));
    }
    return body.append("]}").toString();
  }

  /**
   * What a 201 to a request of {@code batch} ticks from {@code firstSeq} on acknowledged: {@code
   * {"id": N}} for one, {@code {"first_id": F, "last_id": L}} for a batch.
   */
  static AckCheck.Ack ack(String answer, long firstSeq, int batch) {
    long lastSeq = firstSeq + batch - 1;
    if (batch == 1) {
      long id = Wire.eventId(answer);
      return new AckCheck.Ack(id, id, firstSeq, lastSeq);
    }
    return new AckCheck.Ack(Wire.firstEventId(answer), Wire.lastEventId(answer), firstSeq, lastSeq);
  }

  @Override
  public void run() {
    try (call) {
      while (System.nanoTime() < window.end()) {
        long firstSeq = seqs.addAndGet(batch) - batch + 1;
        HttpCall.Response answer;
        try {
          answer = call.post(path, body(firstSeq, batch, bytes));
        } catch (IOException e) {
          errors.merge(Subscribers.kind(SseStream.describe(e)), 1L, Long::sum);
          LockSupport.parkNanos(IO_ERROR_PAUSE_NANOS);
          continue;
        }
        long answered = System.nanoTime();
        if (answer.status() == 201) {
          acknowledged(ack(answer.body(), firstSeq, batch), call.writtenNanos(), answered);
        } else {
          errors.merge(errorKind(answer), 1L, Long::sum);
          waitRetryAfter(answer.retryAfter());
        }
      }
    }
  }

  /** A 201 to the request written at {@code written} and answered at {@code answered}. */
  void acknowledged(AckCheck.Ack ack, long written, long answered) {
    ackedAll.add(batch);
    acks.add(ack);
    ackedEvents += batch;
    long micros = Math.max(1, Math.min(LoopStats.HIGHEST, (answered - written) / 1000));
    if (window.measures(written)) {
      latency.recordValue(micros);
    }
    if (window.counts(answered)) {
      acked += batch;
      ackedRequests++;
    }
    int second = window.second(answered);
    if (second >= 0 && second < perSecond.length) {
      perSecond[second] += batch;
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
    check.acknowledged(acks);
  }

  /** Events acknowledged, warm-up included. */
  long ackedTotal() {
    return ackedEvents;
  }
}
