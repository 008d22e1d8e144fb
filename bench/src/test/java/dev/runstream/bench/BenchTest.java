package dev.runstream.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.bench.sse.SseStream;
import dev.runstream.bench.sse.StreamHandler;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a step's streams are opened. */
class BenchTest {

  private static final StreamHandler IGNORE =
      new StreamHandler() {
        @Override
        public void onEvent(SseStream s, long id, int type, byte[] d, int n, long at) {}

        @Override
        public void onClosed(SseStream s, String error) {}
      };

  @Test
  void stormOpensEveryStreamAtOnceWhateverTheConnectRate() throws Exception {
    int count = 20;
    try (ServerSocket server = new ServerSocket(0, count, InetAddress.getLoopbackAddress())) {
      Options o =
          Options.parse(
              new String[] {
                "fanout",
                "--base-url",
                "http://127.0.0.1:" + server.getLocalPort(),
                "--connect-rate",
                "1",
                "--source-addresses",
                "1"
              });
      List<Socket> accepted = new ArrayList<>();
      try (Bench bench = new Bench(o, Path.of("target/bench-test"))) {
        long start = System.nanoTime();
        bench.openAtOnce(0, count, i -> bench.stream(i, "/events", IGNORE, null));
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "no pacing at 1 stream/s");
        server.setSoTimeout(5000);
        while (accepted.size() < count) {
          accepted.add(server.accept()); // paced at 1/s, 20 would take 19 s
        }
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
      } finally {
        for (Socket s : accepted) {
          s.close();
        }
      }
    }
  }
}
