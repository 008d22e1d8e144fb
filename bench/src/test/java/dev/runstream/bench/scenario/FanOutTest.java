package dev.runstream.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.runstream.bench.server.ServerProbe;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a fan-out step reports of its idle streams' memory. */
class FanOutTest {

  @Test
  void memoryPerStreamOfAJvmHasHeapAndRss() {
    Map<String, Object> m = FanOut.idleMemory(memory(1_000, 10_000), memory(101_000, 30_000), 100);
    assertEquals(1_000L, m.get("heap_bytes_per_stream"));
    assertEquals(200L, m.get("rss_bytes_per_stream"));
  }

  @Test
  void memoryPerStreamOfAProcessWithoutHeapIsRssOnly() {
    Map<String, Object> m = FanOut.idleMemory(memory(-1, 10_000), memory(-1, 30_000), 100);
    assertFalse(m.containsKey("heap_bytes_per_stream"));
    assertEquals(200L, m.get("rss_bytes_per_stream"));
  }

  private static ServerProbe.Memory memory(long heap, long rss) {
    return new ServerProbe.Memory(heap, heap, -1, rss, 10, 10);
  }
}
