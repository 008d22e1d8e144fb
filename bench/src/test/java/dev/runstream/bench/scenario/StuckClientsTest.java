package dev.runstream.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.bench.api.Target;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Clients that never read, and how the tool tells which of them their server cut. */
class StuckClientsTest {

  @Test
  void historyBatchHoldsItsEventsOfTheirSize() {
    String batch = StuckClients.batch(3, 2048);
    assertEquals(3, batch.split("bench.history").length - 1);
    int event = (batch.length() - "{\"events\":[]}".length() - 2) / 3;
    assertEquals(2048, event);
  }

  @Test
  void clientTheServerClosedCountsAsCutAndTheOtherAsHeld() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 2, InetAddress.getLoopbackAddress())) {
      Target target = Target.parse("http://127.0.0.1:" + server.getLocalPort());
      StuckClients stuck = new StuckClients(target, "run_1");
      stuck.connect(null);
      stuck.connect(null);
      try (Socket held = server.accept()) {
        try (Socket cut = server.accept()) {
          readHead(cut); // a server that read the request closes with a FIN, not a reset
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        Map<String, Object> f = stuck.figures();
        while (!f.get("cut_by_server").equals(1L)) {
          assertTrue(System.nanoTime() < deadline, "not seen as cut: " + f);
          Thread.onSpinWait();
          f = stuck.figures();
        }
        assertEquals(2L, f.get("clients"));
        assertEquals(1L, f.get("held"));
        assertEquals(1L, f.get("closed_by_server"));
        stuck.closeSockets();
      }
    }
  }

  private static void readHead(Socket socket) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      head.append((char) socket.getInputStream().read());
    }
  }

  @Test
  void clientThatCannotConnectIsCountedByItsError() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    StuckClients stuck = new StuckClients(Target.parse("http://127.0.0.1:" + port), "run_1");
    stuck.connect(null);
    Map<String, Object> f = stuck.figures();
    assertEquals(1L, f.get("clients"));
    assertEquals(0L, f.get("held"));
    assertEquals(1, ((Map<?, ?>) f.get("connect_errors")).size());
  }
}
