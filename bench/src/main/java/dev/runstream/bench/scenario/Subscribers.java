package dev.runstream.bench.scenario;

import dev.runstream.bench.api.EventTypes;
import dev.runstream.bench.api.Wire;
import dev.runstream.bench.sse.Clock;
import dev.runstream.bench.sse.SseStream;
import dev.runstream.bench.sse.StreamHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * The subscribers of one run (fan-out, cost, warm-up), each stream's attachment a {@link
 * Subscriber}: it checks every subscriber's ids, records each tick's publish-to-receive latency,
 * and counts streams as they get their first event and as they end. Its callbacks run on the loops'
 * threads.
 */
final class Subscribers implements StreamHandler {
  final CountDownLatch connected;
  final CountDownLatch finished;
  final Semaphore pending;

  /** Ticks published before this time ({@link Clock} microseconds) are left out of latency. */
  volatile long measureFrom = Long.MAX_VALUE;

  final LongAdder ticks = new LongAdder();
  final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  Subscribers(int n, Semaphore pending) {
    this.connected = new CountDownLatch(n);
    this.finished = new CountDownLatch(n);
    this.pending = pending;
  }

  /** An error's kind, as the tables count it: the status, or its first 90 characters. */
  static String kind(String error) {
    if (error.startsWith("status ")) {
      return error.substring(0, Math.min(error.length(), 10));
    }
    return error.length() > 90 ? error.substring(0, 90) : error;
  }

  @Override
  public void onHead(SseStream stream, int status, boolean eventStream) {
    ((Subscriber) stream.attachment).status = status;
  }

  @Override
  public void onEvent(SseStream stream, long id, int type, byte[] data, int length, long micros) {
    Subscriber s = (Subscriber) stream.attachment;
    if (!s.first) {
      s.first = true;
      stream.loop.stats.firstEvent(micros - stream.startedMicros());
      connected.countDown();
      pending.release();
    }
    s.received++;
    s.lastEventMicros = micros;
    s.ids.next(id);
    if (type == EventTypes.TICK) {
      long t = Wire.number(data, length, Wire.T);
      stream.loop.stats.delivered(micros, micros - t, t >= measureFrom);
      ticks.increment();
    } else if (EventTypes.terminal(type)) {
      s.done = true;
    }
  }

  @Override
  public void onClosed(SseStream stream, String error) {
    Subscriber s = (Subscriber) stream.attachment;
    error = EventIds.ending(error, s.done);
    s.error = error;
    if (error != null) {
      errors.computeIfAbsent(kind(error), k -> new LongAdder()).increment();
    }
    if (!s.first) {
      s.first = true;
      connected.countDown();
      pending.release();
    }
    finished.countDown();
  }
}
