package dev.runstream.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.sse.InboundSseEvent;
import jakarta.ws.rs.sse.SseEventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A client-side subscriber built on Jersey's {@link SseEventSource}: it records every event and
 * heartbeat, and lets a test wait, with a deadline, for what it expects.
 */
public final class EventRecorder implements AutoCloseable {

  private final SseEventSource source;
  private final List<Received> events = new ArrayList<>();
  private int pings;
  private Throwable error;

  private EventRecorder(WebTarget target) {
    source = SseEventSource.target(target).reconnectingEvery(100, TimeUnit.MILLISECONDS).build();
    source.register(this::onEvent, this::onError);
  }

  /** Subscribes to {@code target} and returns once the subscription is under way. */
  public static EventRecorder open(WebTarget target) {
    EventRecorder recorder = new EventRecorder(target);
    recorder.source.open();
    return recorder;
  }

  private synchronized void onEvent(InboundSseEvent event) {
    if (event.getName() == null) {
      if ("ping".equals(event.getComment())) {
        pings++;
      }
    } else {
      String data = event.readData();
      events.add(new Received(Long.parseLong(event.getId()), event.getName(), Api.parse(data)));
    }
    notifyAll();
  }

  private synchronized void onError(Throwable t) {
    error = t;
    notifyAll();
  }

  /** Waits until the recorded events satisfy {@code done}; returns them. */
  public synchronized List<Received> await(Predicate<List<Received>> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(events)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("timed out; received " + events.size() + " events: " + types() + ", error " + error);
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
    return List.copyOf(events);
  }

  /** Waits for the terminal event and returns every event up to it. */
  public List<Received> awaitEnd(Duration timeout) {
    return await(list -> !list.isEmpty() && list.get(list.size() - 1).terminal(), timeout);
  }

  public List<Received> awaitCount(int count, Duration timeout) {
    return await(list -> list.size() >= count, timeout);
  }

  /** Waits until {@code count} heartbeats have arrived. */
  public synchronized void awaitPings(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pings < count) {
      long left = deadline - System.nanoTime();
      assertTrue(left > 0, "timed out waiting for " + count + " pings, got " + pings);
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  public synchronized List<Received> events() {
    return List.copyOf(events);
  }

  public synchronized int pings() {
    return pings;
  }

  private List<String> types() {
    return events.stream().map(e -> e.id() + ":" + e.type()).toList();
  }

  @Override
  public void close() {
    source.close(2, TimeUnit.SECONDS);
  }
}
