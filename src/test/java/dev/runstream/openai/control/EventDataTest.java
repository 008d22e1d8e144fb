package dev.runstream.openai.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runstream.openai.entity.UpstreamException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventDataTest {

  private final EventData events = new EventData(64);

  private List<String> feed(String... lines) {
    List<String> data = new ArrayList<>();
    for (String line : lines) {
      events.line(line).ifPresent(data::add);
    }
    return data;
  }

  @Test
  void aBlankLineEndsEachEvent() {
    assertEquals(List.of("{\"a\":1}", "[DONE]"), feed("data: {\"a\":1}", "", "data: [DONE]", ""));
  }

  @Test
  void dataLinesOfOneEventAreJoinedWithNewlines() {
    assertEquals(List.of("one\ntwo"), feed("data: one", "data:two", ""));
  }

  @Test
  void commentsOtherFieldsAndEmptyEventsAreIgnored() {
    assertEquals(
        List.of("x"),
        feed(": keep-alive", "", "event: message", "id: 7", "retry: 10", "", "data: x", ""));
  }

  @Test
  void onlyOneSpaceAfterTheColonIsDropped() {
    assertEquals(List.of(" indented", ""), feed("data:  indented", "", "data", ""));
  }

  @Test
  void anEventCutOffByTheEndOfTheStreamIsStillDelivered() {
    assertEquals(List.of(), feed("data: [DONE]"));
    assertEquals(Optional.of("[DONE]"), events.end());
    assertEquals(Optional.empty(), events.end());
  }

  @Test
  void anEventLongerThanTheLimitIsABadResponse() {
    feed("data: " + "x".repeat(40));
    UpstreamException e =
        assertThrows(UpstreamException.class, () -> feed("data: " + "y".repeat(40)));
    assertEquals("upstream_bad_response", e.error().code());
  }
}
