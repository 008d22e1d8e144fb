package dev.runstream.bench.scenario;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.bench.sse.IoLoop;
import dev.runstream.bench.sse.LoopbackServer;
import dev.runstream.bench.sse.SseStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/** What a fan-out subscriber counts from a real stream: the figures of the fan-out table. */
class SubscribersTest {

  @Test
  void completeStreamIsCleanWithNothingLost() throws Exception {
    Subscriber s = watch(events(1, 2, 3) + terminal(4));
    assertNull(s.error);
    assertTrue(s.done);
    assertEquals(4, s.received);
    assertEquals(0, s.ids.lost(4));
    assertEquals(200, s.status, "the head's status, for the silent-stream count");
    assertTrue(s.lastEventMicros > 0);
  }

  @Test
  void gapOnTheWireIsCountedWithTheEventsItSkipped() throws Exception {
    Subscriber s = watch(events(1, 2, 5) + terminal(6));
    assertEquals(1, s.ids.gaps());
    assertEquals(2, s.ids.skipped());
    assertEquals(2, s.ids.lost(6));
    assertNull(s.error);
  }

  @Test
  void duplicateOnTheWireIsCounted() throws Exception {
    Subscriber s = watch(events(1, 2, 2, 3) + terminal(4));
    assertEquals(1, s.ids.duplicates());
    assertEquals(0, s.ids.lost(4));
  }

  @Test
  void streamEndingBeforeItsTerminalEventIsAnErrorAndLosesTheRest() throws Exception {
    Subscribers subscribers = new Subscribers(1, new Semaphore(1));
    Subscriber s = watch(subscribers, events(1, 2, 3));
    assertEquals("ended before the terminal event", s.error);
    assertEquals(3, s.ids.lost(6));
    assertEquals(Map.of("ended before the terminal event", 1L), counts(subscribers));
  }

  @Test
  void ticksAreCountedForTheLatencyFigures() throws Exception {
    Subscribers subscribers = new Subscribers(1, new Semaphore(1));
    String tick = "event: bench.tick\nid: 1\ndata: {\"data\":{\"seq\":0,\"t\":1}}\n\n";
    watch(subscribers, tick + terminal(2));
    assertEquals(1, subscribers.ticks.sum());
  }

  @Test
  void refusedStreamStillCountsAsConnectedAndFinished() throws Exception {
    Subscribers subscribers = new Subscribers(1, new Semaphore(0));
    Subscriber s =
        watchWire(subscribers, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
    assertEquals("status 503", s.error);
    assertEquals(0, subscribers.connected.getCount());
    assertEquals(1, subscribers.pending.availablePermits(), "its permit is given back");
    assertEquals(List.of("status 503"), List.copyOf(counts(subscribers).keySet()));
  }

  private static String events(long... ids) {
    StringBuilder out = new StringBuilder();
    for (long id : ids) {
      out.append("event: message.delta\nid: ").append(id).append("\ndata: {}\n\n");
    }
    return out.toString();
  }

  private static String terminal(long id) {
    return "event: run.completed\nid: " + id + "\ndata: {}\n\n";
  }

  private static Subscriber watch(String body) throws Exception {
    return watch(new Subscribers(1, new Semaphore(1)), body);
  }

  private static Subscriber watch(Subscribers subscribers, String body) throws Exception {
    String chunk = Integer.toHexString(body.getBytes(StandardCharsets.UTF_8).length);
    String wire =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunk
            + "\r\n"
            + body
            + "\r\n0\r\n\r\n";
    return watchWire(subscribers, wire);
  }

  private static Subscriber watchWire(Subscribers subscribers, String wire) throws Exception {
    Subscriber s = new Subscriber();
    try (LoopbackServer server = LoopbackServer.answering(wire);
        IoLoop loop = IoLoop.start(1).get(0)) {
      SseStream stream =
          new SseStream(
              loop, server.target(), null, server.target().events("run_1"), null, subscribers, s);
      loop.open(stream);
      assertTrue(subscribers.finished.await(5, SECONDS));
      return loop.call(() -> s); // read on the loop's thread: what it wrote is visible
    }
  }

  private static Map<String, Long> counts(Subscribers subscribers) {
    Map<String, Long> m = new TreeMap<>();
    subscribers.errors.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }
}
