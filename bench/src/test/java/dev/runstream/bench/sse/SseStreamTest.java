package dev.runstream.bench.sse;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.bench.api.Target;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** One stream over a real loopback socket, on a real I/O loop. */
class SseStreamTest {

  /** Writes down, in order, what the stream hands its handler. */
  static final class Log implements StreamHandler {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final CountDownLatch firstEvent = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public void onHead(SseStream stream, int status, boolean eventStream) {
      lines.add("head " + status);
    }

    @Override
    public void onEvent(SseStream s, long id, int type, byte[] data, int length, long micros) {
      lines.add("event " + id);
      firstEvent.countDown();
    }

    @Override
    public void onComment(SseStream stream) {
      lines.add("comment");
    }

    @Override
    public void onClosed(SseStream stream, String error) {
      lines.add(error == null ? "closed clean" : "closed: " + error);
      closed.countDown();
    }
  }

  @Test
  void eventsOfAChunkedStreamArriveInOrderThenItEndsClean() throws Exception {
    Log log = new Log();
    String body = ":\n\n" + "id: 1\ndata: a\n\n" + "id: 2\ndata: b\n\n";
    try (LoopbackServer server = LoopbackServer.answering(Responses.chunked(body));
        IoLoop loop = new IoLoop("test-io")) {
      open(loop, server.target(), null, log);
      assertTrue(log.closed.await(5, SECONDS));
    }
    assertEquals(List.of("head 200", "comment", "event 1", "event 2", "closed clean"), log.lines);
  }

  @Test
  void requestAsksForAnEventStreamOfThePathWithLastEventId() throws Exception {
    Log log = new Log();
    try (LoopbackServer server = LoopbackServer.answering(Responses.chunked());
        IoLoop loop = new IoLoop("test-io")) {
      open(loop, server.target(), "41", log);
      assertTrue(log.closed.await(5, SECONDS));
      assertEquals(
          "GET /api/v1/chat/runs/run_1/events HTTP/1.1\r\n"
              + "Host: "
              + server.target().hostHeader()
              + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n"
              + "Last-Event-ID: 41\r\n\r\n",
          server.request());
    }
  }

  @Test
  void refusedConnectionEndsTheStreamWithAConnectError() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Log log = new Log();
    try (IoLoop loop = new IoLoop("test-io")) {
      open(loop, Target.parse("http://127.0.0.1:" + port), null, log);
      assertTrue(log.closed.await(5, SECONDS));
    }
    assertEquals(1, log.lines.size());
    assertTrue(log.lines.get(0).startsWith("closed: connect: "), log.lines.toString());
  }

  @Test
  void serverClosingMidStreamIsAnErrorAfterTheEventsItSent() throws Exception {
    String cut = Responses.chunked("id: 1\ndata: a\n\n", "id: 2\ndata: b\n\n");
    cut = cut.substring(0, cut.length() - "0\r\n\r\n".length());
    Log log = new Log();
    try (LoopbackServer server = LoopbackServer.answering(cut);
        IoLoop loop = new IoLoop("test-io")) {
      open(loop, server.target(), null, log);
      assertTrue(log.closed.await(5, SECONDS));
    }
    assertEquals(List.of("head 200", "event 1", "event 2", "closed: closed mid-stream"), log.lines);
  }

  @Test
  void clientClosingAnOpenStreamEndsItWithItsReason() throws Exception {
    String open =
        "HTTP/1.1 200 OK\r\n"
            + Responses.EVENT_STREAM
            + "Transfer-Encoding: chunked\r\n\r\n"
            + Responses.chunkOf("id: 1\ndata: a\n\n");
    Log log = new Log();
    try (LoopbackServer server = LoopbackServer.answeringAndHolding(open);
        IoLoop loop = new IoLoop("test-io")) {
      open(loop, server.target(), null, log);
      assertTrue(log.firstEvent.await(5, SECONDS));
      loop.call(
          () -> {
            loop.closeAll("still open after the drain");
            return null;
          });
      assertTrue(log.closed.await(5, SECONDS));
    }
    assertEquals(List.of("head 200", "event 1", "closed: still open after the drain"), log.lines);
  }

  private static void open(IoLoop loop, Target target, String lastEventId, StreamHandler handler) {
    SseStream stream =
        new SseStream(
            loop, target, null, target.events("run_1"), lastEventId, handler, new Object());
    loop.open(stream);
  }
}
