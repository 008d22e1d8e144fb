package dev.runstream.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.api.Wire;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a producer posts, and how it counts a refusal. */
class AppendProducerTest {

  @Test
  void tickIsPaddedToTheEventSizeAndCarriesItsSeq() {
    String tick = AppendProducer.tick(42, 200);
    assertEquals(200, tick.length());
    assertTrue(tick.startsWith("{\"type\":\"bench.tick\",\"data\":{\"seq\":42,\"pad\":\"xxx"));
    assertTrue(tick.endsWith("xxx\"}}"));
    byte[] bytes = tick.getBytes(StandardCharsets.US_ASCII);
    assertEquals(42, Wire.number(bytes, bytes.length, Wire.SEQ));
  }

  @Test
  void tickLargerThanTheEventSizeIsNotPadded() {
    assertEquals(
        "{\"type\":\"bench.tick\",\"data\":{\"seq\":7,\"pad\":\"\"}}", AppendProducer.tick(7, 10));
  }

  @Test
  void refusalIsCountedByStatusWithItsRetryAfter() {
    assertEquals(
        "status 503 (Retry-After 3)",
        AppendProducer.errorKind(new HttpCall.Response(503, "{}", "3")));
    assertEquals("status 409", AppendProducer.errorKind(new HttpCall.Response(409, "{}", null)));
  }
}
