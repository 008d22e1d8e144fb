package dev.runstream.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.api.Wire;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** What a producer posts, what an answer acknowledges, and how it counts a refusal. */
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
  void oneEventARequestIsTheTickItself() {
    assertEquals(AppendProducer.tick(5, 200), AppendProducer.body(5, 1, 200));
  }

  @Test
  void batchPostsConsecutiveSeqsEachTickPaddedToTheEventSize() {
    String body = AppendProducer.body(41, 3, 200);
    assertEquals(
        "{\"events\":["
            + AppendProducer.tick(41, 200)
            + ","
            + AppendProducer.tick(42, 200)
            + ","
            + AppendProducer.tick(43, 200)
            + "]}",
        body);
    assertEquals(3 * 200 + 2 + "{\"events\":[]}".length(), body.length());
  }

  @Test
  void singleAnswerAcknowledgesItsOneId() {
    assertEquals(new AckCheck.Ack(17, 17, 5, 5), AppendProducer.ack("{\"id\":17}", 5, 1));
  }

  @Test
  void batchAnswerAcknowledgesItsRangeForTheSeqsPosted() {
    AckCheck.Ack ack = AppendProducer.ack("{\"first_id\":103,\"last_id\":202}", 1001, 100);
    assertEquals(new AckCheck.Ack(103, 202, 1001, 1100), ack);
    assertTrue(ack.wellFormed());
    assertEquals(100, ack.events());
  }

  @Test
  void batchAnswerWithoutItsRangeOrWithAnotherLengthIsMalformed() {
    assertFalse(AppendProducer.ack("{\"id\":17}", 1, 2).wellFormed());
    assertFalse(AppendProducer.ack("{\"first_id\":3,\"last_id\":5}", 1, 2).wellFormed());
    assertFalse(AppendProducer.ack("{}", 1, 1).wellFormed());
  }

  @Test
  void batchAcknowledgedCountsItsEventsAndOneRequestLatencyPerRequest() {
    long s = 1_000_000_000L;
    Window window = Window.of(100 * s, 1, 2);
    LongAdder ackedAll = new LongAdder();
    AppendProducer p = new AppendProducer(null, "/", new AtomicLong(), window, 200, 100, ackedAll);
    p.acknowledged(new AckCheck.Ack(3, 102, 1, 100), 100 * s, 100 * s + 2_000_000); // warm-up
    p.acknowledged(new AckCheck.Ack(103, 202, 101, 200), 101 * s, 101 * s + 4_000_000);
    p.acknowledged(new AckCheck.Ack(203, 302, 201, 300), 102 * s, 102 * s + 6_000_000);
    assertEquals(300, ackedAll.sum());
    assertEquals(300, p.ackedTotal());
    assertEquals(200, p.acked);
    assertEquals(2, p.ackedRequests);
    assertEquals(2, p.latency.getTotalCount());
    assertEquals(100, p.perSecond[0]);
    assertEquals(100, p.perSecond[1]);
    Map<String, Object> figures = AppendFigures.producers(List.of(p), window);
    assertEquals(200L, figures.get("acked_events"));
    assertEquals(100.0, figures.get("acked_per_s"));
    assertEquals(2L, figures.get("acked_requests"));
    assertEquals(1.0, figures.get("acked_requests_per_s"));
    assertEquals(300L, figures.get("acked_events_with_warmup"));
    AckCheck check = new AckCheck();
    p.acknowledgedTo(check);
    assertEquals(300, check.acknowledged());
  }

  @Test
  void refusalIsCountedByStatusWithItsRetryAfter() {
    assertEquals(
        "status 503 (Retry-After 3)",
        AppendProducer.errorKind(new HttpCall.Response(503, "{}", "3")));
    assertEquals("status 409", AppendProducer.errorKind(new HttpCall.Response(409, "{}", null)));
  }
}
