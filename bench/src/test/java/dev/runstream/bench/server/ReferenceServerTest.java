package dev.runstream.bench.server;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.bench.api.EventTypes;
import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.api.Runs;
import dev.runstream.bench.api.Target;
import dev.runstream.bench.api.Wire;
import dev.runstream.bench.sse.IoLoop;
import dev.runstream.bench.sse.SseStream;
import dev.runstream.bench.sse.StreamHandler;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The Node.js reference server (bench/reference/server.js) speaks the contract's external runs as
 * the tool reads them: run.created first, ids 1, 2, 3, history then live, the stream ending after
 * the terminal event, Last-Event-ID resume.
 */
class ReferenceServerTest {

  private static final Path SCRIPT = Path.of("reference/server.js"); // tests run in bench/

  @Test
  void subscriberGetsHistoryThenLiveEventsThenTheEnd() throws Exception {
    try (ReferenceServer server = start();
        IoLoop loop = IoLoop.start(1).get(0)) {
      Target target = server.target;
      String runId = Runs.createExternal(target);
      Stream early = Stream.open(loop, target, runId, null);
      assertTrue(early.firstEvent.await(5, SECONDS));
      try (HttpCall call = new HttpCall(target, 5000)) {
        assertEquals(
            3, Wire.eventId(call.post(target.events(runId), "{\"type\":\"bench.tick\"}").body()));
      }
      assertEquals(4, Runs.complete(target, runId));
      assertNull(early.ended.get(5, SECONDS), "ended clean after the terminal event");
      assertEquals(
          List.of("1 run.created", "2 run.in_progress", "3 bench.tick", "4 run.completed"),
          early.events);

      Stream resumed = Stream.open(loop, target, runId, "2");
      assertNull(resumed.ended.get(5, SECONDS));
      assertEquals(List.of("3 bench.tick", "4 run.completed"), resumed.events);
      try (HttpCall call = new HttpCall(target, 5000)) {
        assertEquals(204, call.get(target.events(runId) + "?last_event_id=4").status());
        assertEquals(409, call.post(target.events(runId), "{\"type\":\"bench.tick\"}").status());
        assertEquals(404, call.get(target.events("run_none")).status());
      }
    }
  }

  @Test
  void batchGetsContiguousIdsAndTheRunIsShownWithThem() throws Exception {
    try (ReferenceServer server = start();
        HttpCall call = new HttpCall(server.target, 5000)) {
      Target target = server.target;
      String runId = Runs.createExternal(target);
      String answer =
          call.post(target.events(runId), "{\"events\":[{\"type\":\"a\"},{\"type\":\"b\"}]}")
              .body();
      assertEquals(3, Wire.firstEventId(answer));
      assertEquals(4, Wire.lastEventId(answer));
      assertTrue(call.get(target.run(runId)).body().contains("\"last_event_id\":4"));
    }
  }

  @Test
  void probeOfTheReferenceReadsItsProcessButNoHeap() throws Exception {
    try (ReferenceServer server = start()) {
      assertFalse(server.probe.jvm);
      ServerProbe.Memory m = server.probe.memoryAfterGc();
      assertEquals(-1, m.heapUsed());
      assertTrue(m.rss() > 0);
      assertTrue(server.probe.cpuNanos() > 0);
    }
  }

  private static ReferenceServer start() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Path log = Path.of("target/reference-test/server-" + port + ".log");
    return ReferenceServer.start("node", SCRIPT, port, log);
  }

  /** The events of one stream, as "ID TYPE", and how it ended. */
  private static final class Stream implements StreamHandler {
    final List<String> events = new CopyOnWriteArrayList<>();
    final CountDownLatch firstEvent = new CountDownLatch(1);
    final CompletableFuture<String> ended = new CompletableFuture<>();

    static Stream open(IoLoop loop, Target target, String runId, String lastEventId) {
      Stream s = new Stream();
      loop.open(new SseStream(loop, target, null, target.events(runId), lastEventId, s, null));
      return s;
    }

    @Override
    public void onEvent(SseStream stream, long id, int type, byte[] data, int length, long at) {
      events.add(id + " " + EventTypes.name(type));
      firstEvent.countDown();
    }

    @Override
    public void onClosed(SseStream stream, String error) {
      ended.complete(error);
    }
  }
}
