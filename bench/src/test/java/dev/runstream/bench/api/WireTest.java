package dev.runstream.bench.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading list pages and publish answers. */
class WireTest {

  private static final String PAGE =
      "{\"data\":[{\"id\":\"run_7gMtW6Pqv0CPLGIZ\",\"status\":\"completed\",\"responder\":"
          + "\"external\",\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"benchmark\"}]},"
          + "\"last_event_id\":3},"
          + "{\"id\" : \"run_0000000000000001\",\"status\":\"completed\",\"last_event_id\":3}],"
          + "\"has_more\":true}";

  @Test
  void listPageGivesItsRunsIdsInOrder() {
    assertEquals(List.of("run_7gMtW6Pqv0CPLGIZ", "run_0000000000000001"), Wire.listedRunIds(PAGE));
  }

  @Test
  void emptyListPageHasNoIdsAndNoMore() {
    String empty = "{\"data\":[],\"has_more\":false}";
    assertEquals(List.of(), Wire.listedRunIds(empty));
    assertFalse(Wire.hasMore(empty));
  }

  @Test
  void hasMoreIsRead() {
    assertTrue(Wire.hasMore(PAGE));
  }

  @Test
  void pageWithoutHasMoreIsAnError() {
    assertThrows(IllegalStateException.class, () -> Wire.hasMore("{\"data\":[]}"));
  }

  @Test
  void publishAnswerGivesTheEventId() {
    assertEquals(17, Wire.eventId("{\"id\":17}"));
    assertEquals(-1, Wire.eventId("{}"));
  }

  @Test
  void batchPublishAnswerGivesItsFirstAndLastIds() {
    String answer = "{\"first_id\":17,\"last_id\":116}";
    assertEquals(17, Wire.firstEventId(answer));
    assertEquals(116, Wire.lastEventId(answer));
    assertEquals(-1, Wire.eventId(answer), "first_id and last_id are not an id");
    assertEquals(3, Wire.firstEventId("{ \"last_id\" : 4, \"first_id\" : 3 }"));
    assertEquals(-1, Wire.firstEventId("{\"id\":17}"));
    assertEquals(-1, Wire.lastEventId("{\"id\":17}"));
  }
}
