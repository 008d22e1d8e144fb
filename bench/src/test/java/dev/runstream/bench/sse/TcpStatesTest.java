package dev.runstream.bench.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kernel's socket tables, read to tell a socket the server closed without reading it. */
class TcpStatesTest {

  private static final String TCP =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid\n"
          + "   0: 0200007F:9C40 0100007F:1F9D 08 00000000:00001000 00:00000000 00000000  1000\n";
  private static final String TCP6 =
      "  sl  local_address                         remote_address                        st\n"
          + "   0: 0000000000000000FFFF00000100007F:A000 0000000000000000FFFF00000100007F:1F9D"
          + " 01 00000000:00000000 00:00000000 00000000  1000\n"
          + "   1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000"
          + " 0A 00000000:00000000 00:00000000 00000000  1000\n";

  @Test
  void ipv4LinesAreReadByTheirTwoEnds() {
    Map<String, TcpStates.Entry> m = TcpStates.parse(TCP);
    assertEquals(
        new TcpStates.Entry(TcpStates.CLOSE_WAIT, 4096), m.get("127.0.0.2:40000 127.0.0.1:8093"));
  }

  /**
   * A local port in {@code TIME_WAIT} from an earlier connection is taken again for another peer:
   * keyed by the local end alone, one hid the other (a tool test saw a closed client as held, on a
   * machine that a benchmark had just left with thousands of such ports).
   */
  @Test
  void oneLocalPortOfTwoConnectionsIsTwoSockets() {
    Map<String, TcpStates.Entry> m =
        TcpStates.parse(
            TCP
                + "   1: 0200007F:9C40 0100007F:1F93 06 00000000:00000000 00:00000000 00000000 0\n");
    assertEquals(TcpStates.CLOSE_WAIT, m.get("127.0.0.2:40000 127.0.0.1:8093").state());
    assertEquals(0x06, m.get("127.0.0.2:40000 127.0.0.1:8083").state());
  }

  @Test
  void ipv4MappedLinesOfTcp6AreReadAndPlainIpv6Skipped() {
    Map<String, TcpStates.Entry> m = TcpStates.parse(TCP6);
    assertEquals(
        new TcpStates.Entry(TcpStates.ESTABLISHED, 0), m.get("127.0.0.1:40960 127.0.0.1:8093"));
    assertEquals(1, m.size());
    assertNull(TcpStates.ipv4("00000000000000000000000001000000:1F90"));
  }

  @Test
  void socketTheServerClosedShowsAsCloseWait() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
      String key = TcpStates.key(client);
      try (Socket accepted = server.accept()) {
        assertEquals(TcpStates.ESTABLISHED, TcpStates.read().get(key).state());
      }
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (TcpStates.read().get(key).state() != TcpStates.CLOSE_WAIT) {
        assertTrue(
            System.nanoTime() < deadline, "still not CLOSE_WAIT: " + TcpStates.read().get(key));
        Thread.onSpinWait();
      }
    }
  }
}
