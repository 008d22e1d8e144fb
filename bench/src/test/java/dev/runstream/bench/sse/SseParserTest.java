package dev.runstream.bench.sse;

import static dev.runstream.bench.sse.Reads.ascii;
import static dev.runstream.bench.sse.Recorder.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runstream.bench.api.EventTypes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The event-stream format: lines, fields and events, as the decoded body bytes arrive. */
class SseParserTest {

  private final Recorder recorder = new Recorder();
  private final SseParser parser = new SseParser(recorder);

  @Test
  void dataIdAndEventMakeOneEvent() {
    feed("event: message.delta\nid: 3\ndata: {\"delta\":\"Hello \"}\n\n");
    assertEquals(List.of(event(3, "message.delta", "{\"delta\":\"Hello \"}")), recorder.log);
  }

  @Test
  void fieldsMayComeInAnyOrder() {
    feed("data: x\nid: 9\nevent: run.completed\n\n");
    assertEquals(List.of(event(9, "run.completed", "x")), recorder.log);
  }

  @Test
  void dataLinesAreJoinedWithLf() {
    feed("id: 1\ndata: first\ndata:\ndata: third\n\n");
    assertEquals(List.of(event(1, "none", "first\n\nthird")), recorder.log);
  }

  @ParameterizedTest(name = "line end {0}")
  @ValueSource(strings = {"LF", "CR", "CRLF"})
  void everyLineEndOfTheSpecEndsLinesAndEvents(String name) {
    String end = name.replace("CR", "\r").replace("LF", "\n");
    feed(
        ": ping"
            + end
            + "event: message.delta"
            + end
            + "id: 2"
            + end
            + "data: a"
            + end
            + "data: b"
            + end
            + end);
    assertEquals(List.of("comment", event(2, "message.delta", "a\nb")), recorder.log);
  }

  @Test
  void lineEndsMayBeMixedInOneStream() {
    feed("id: 1\r\ndata: a\rdata: b\n\r\nid: 2\ndata: c\r\r");
    assertEquals(List.of(event(1, "none", "a\nb"), event(2, "none", "c")), recorder.log);
  }

  @Test
  void crlfSplitBetweenTwoReadsIsOneLineEnd() {
    feed("id: 1\r\ndata: a\r");
    feed("\n");
    assertEquals(List.of(), recorder.log, "the LF of a CRLF is not an empty line");
    feed("\r\n");
    assertEquals(List.of(event(1, "none", "a")), recorder.log);
  }

  @Test
  void twoCrsAreTwoLineEnds() {
    feed("id: 1\rdata: a\r\r");
    assertEquals(List.of(event(1, "none", "a")), recorder.log);
  }

  @Test
  void spaceAfterTheColonIsOptional() {
    feed("id:5\ndata:x\n\nid: 6\ndata: x\n\n");
    assertEquals(List.of(event(5, "none", "x"), event(6, "none", "x")), recorder.log);
  }

  @Test
  void onlyOneSpaceAfterTheColonIsDropped() {
    feed("id: 1\ndata:  two spaces\ndata:\tand a tab\n\n");
    assertEquals(List.of(event(1, "none", " two spaces\n\tand a tab")), recorder.log);
  }

  @Test
  void colonsInTheValueAreKept() {
    feed("id: 1\ndata: {\"a\":\"b:c\"}\n\n");
    assertEquals(List.of(event(1, "none", "{\"a\":\"b:c\"}")), recorder.log);
  }

  @Test
  void fieldWithoutColonIsThatFieldWithAnEmptyValue() {
    feed("id: 1\ndata\n\nid: 2\ndata\ndata\n\n");
    assertEquals(List.of(event(1, "none", ""), event(2, "none", "\n")), recorder.log);
  }

  @Test
  void commentsReachTheListenerAndDoNotBreakAnEvent() {
    feed(":\n: ping\nid: 1\n: in the middle\ndata: a\n\n");
    assertEquals(List.of("comment", "comment", "comment", event(1, "none", "a")), recorder.log);
  }

  @Test
  void retryFieldIsIgnored() {
    feed("event: run.created\nid: 1\nretry: 3000\ndata: {}\n\n");
    assertEquals(List.of(event(1, "run.created", "{}")), recorder.log);
  }

  @Test
  void unknownFieldsAreIgnored() {
    feed("id: 1\nfoo: bar\nDATA: shouted\nData: capitalised\ndata: kept\n\n");
    assertEquals(List.of(event(1, "none", "kept")), recorder.log);
  }

  @Test
  void emptyLineWithoutDataDispatchesNothing() {
    feed("id: 5\nevent: run.created\n\n\n\ndata: later\n\n");
    assertEquals(List.of(event(-1, "none", "later")), recorder.log);
  }

  @Test
  void eventWithoutIdReportsMinusOne() {
    feed("data: no id\n\n");
    assertEquals(List.of(event(-1, "none", "no id")), recorder.log);
  }

  @Test
  void idIsNotCarriedOverToTheNextEvent() {
    feed("id: 4\ndata: a\n\ndata: b\n\n");
    assertEquals(List.of(event(4, "none", "a"), event(-1, "none", "b")), recorder.log);
  }

  @Test
  void lastIdFieldOfAnEventWins() {
    feed("id: 4\nid: 5\ndata: a\n\n");
    assertEquals(List.of(event(5, "none", "a")), recorder.log);
  }

  @ParameterizedTest(name = "id \"{0}\"")
  @ValueSource(strings = {"", "abc", "-1", "1.5", "12a", "1234567890123456789"})
  void idThatIsNotAWholeNumberReportsMinusTwo(String id) {
    feed("id:" + id + "\ndata: a\n\n");
    assertEquals(List.of(event(-2, "none", "a")), recorder.log);
  }

  @Test
  void largestIdIsEighteenDigits() {
    feed("id: 999999999999999999\ndata: a\n\n");
    assertEquals(List.of(event(999_999_999_999_999_999L, "none", "a")), recorder.log);
  }

  @Test
  void eventTypesOfTheContractAreRecognised() {
    for (String type :
        List.of(
            "run.created",
            "run.in_progress",
            "message.delta",
            "message.completed",
            "run.completed",
            "run.failed",
            "run.cancelled",
            EventTypes.TICK_NAME)) {
      feed("event: " + type + "\ndata: x\n\n");
    }
    assertEquals(
        List.of(
            event(-1, "run.created", "x"),
            event(-1, "run.in_progress", "x"),
            event(-1, "message.delta", "x"),
            event(-1, "message.completed", "x"),
            event(-1, "run.completed", "x"),
            event(-1, "run.failed", "x"),
            event(-1, "run.cancelled", "x"),
            event(-1, "bench.tick", "x")),
        recorder.log);
  }

  @Test
  void unknownEventTypeIsOtherAndNoEventFieldIsNone() {
    feed("event: run.completedX\ndata: x\n\nevent:\ndata: y\n\ndata: z\n\n");
    assertEquals(
        List.of(event(-1, "other", "x"), event(-1, "other", "y"), event(-1, "none", "z")),
        recorder.log);
  }

  @Test
  void eventTypeIsResetAfterEachEvent() {
    feed("event: run.failed\ndata: a\n\ndata: b\n\n");
    assertEquals(List.of(event(-1, "run.failed", "a"), event(-1, "none", "b")), recorder.log);
  }

  @Test
  void longLinesAndLargeDataGrowTheBuffers() {
    String big = "d".repeat(10_000);
    feed("id: 1\ndata: " + big + "\ndata: " + big + "\n\n");
    assertEquals(List.of(event(1, "none", big + "\n" + big)), recorder.log);
  }

  @Test
  void utf8DataIsPassedOnAsBytes() {
    feed("id: 1\ndata: {\"delta\":\"héllo ✓\"}\n\n");
    assertEquals(List.of(event(1, "none", "{\"delta\":\"héllo ✓\"}")), recorder.log);
  }

  @Test
  void incompleteEventIsHeldUntilItsEmptyLine() {
    feed("id: 1\ndata: a\n");
    assertEquals(List.of(), recorder.log);
    feed("\n");
    assertEquals(List.of(event(1, "none", "a")), recorder.log);
  }

  @Test
  void feedReturnsRightAfterEachLineThatReachedTheListener() {
    byte[] bytes = ascii(": c\nid: 1\ndata: a\n\nid: 2\n");
    assertEquals(4, parser.feed(bytes, 0, bytes.length, 0), "after the comment");
    assertEquals(19, parser.feed(bytes, 4, bytes.length, 0), "after the event's empty line");
    assertEquals(bytes.length, parser.feed(bytes, 19, bytes.length, 0), "no more to report");
  }

  private void feed(String text) {
    byte[] bytes = ascii(text);
    for (int i = 0; i < bytes.length; ) {
      i = parser.feed(bytes, i, bytes.length, 0);
    }
  }
}
