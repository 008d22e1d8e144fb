package dev.runstream.bench.sse;

import static dev.runstream.bench.sse.Reads.ascii;
import static dev.runstream.bench.sse.Recorder.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole response as the stream reads it: head, body framing and SSE events together, in reads
 * cut anywhere. The loss and gap figures count what this reports.
 */
class ResponseReaderTest {

  static final String OPENING = ":\n\n";
  static final String CREATED =
      "event: run.created\nid: 1\nretry: 3000\ndata: {\"id\":1,\"type\":\"run.created\"}\n\n";
  static final String DELTA =
      "event: message.delta\nid: 2\ndata: {\"id\":2,\"data\":{\"delta\":\"Hello \"}}\n\n";
  static final String PING = ": ping\n\n";
  static final String COMPLETED = "event: run.completed\nid: 3\ndata: {\"id\":3}\n\n";
  static final String STREAM = OPENING + CREATED + DELTA + PING + COMPLETED;

  static final List<String> EXPECTED =
      List.of(
          "head 200 event-stream",
          "comment",
          event(1, "run.created", "{\"id\":1,\"type\":\"run.created\"}"),
          event(2, "message.delta", "{\"id\":2,\"data\":{\"delta\":\"Hello \"}}"),
          "comment",
          event(3, "run.completed", "{\"id\":3}"),
          "ended clean");

  /** One stream, framed each way a server may frame it. */
  record Framing(String name, String wire, boolean serverCloses) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Framing> framings() {
    return Stream.concat(
        chunkedFramings(),
        Stream.of(
            new Framing("Content-Length", Responses.sized(STREAM), false),
            new Framing("until the server closes", Responses.untilClose(STREAM), true)));
  }

  static Stream<Framing> chunkedFramings() {
    return Stream.of(
        new Framing(
            "one chunk per event",
            Responses.chunked(OPENING, CREATED, DELTA, PING, COMPLETED),
            false),
        new Framing("whole stream in one chunk", Responses.chunked(STREAM), false),
        new Framing("chunks cut inside lines", Responses.chunked(pieces(STREAM, 7)), false));
  }

  // --- status line and headers --------------------------------------------------------------

  @Test
  void headReachesTheListenerBeforeAnyEvent() {
    Recorder r = read(Responses.chunked(CREATED));
    assertEquals("head 200 event-stream", r.log.get(0));
  }

  @Test
  void interimContinueIsSkippedForTheFinalHead() {
    Recorder r = read("HTTP/1.1 100 Continue\r\n\r\n" + Responses.chunked(CREATED));
    assertEquals(
        List.of(
            "head 200 event-stream",
            event(1, "run.created", "{\"id\":1,\"type\":\"run.created\"}"),
            "ended clean"),
        r.log);
  }

  @Test
  void headerNamesAndValuesIgnoreCase() {
    Recorder r =
        read(
            "HTTP/1.1 200 OK\r\nCONTENT-TYPE: Text/Event-Stream; charset=UTF-8\r\n"
                + "transfer-encoding: Chunked\r\n\r\n"
                + Responses.chunkOf(CREATED)
                + "0\r\n\r\n");
    assertEquals(3, r.log.size(), r.log.toString());
    assertEquals(1, r.events().size());
  }

  @Test
  void headLargerThanTheLimitEndsTheStream() {
    String big = "X-Padding: " + "x".repeat(ResponseHead.LIMIT) + "\r\n";
    Recorder r = read("HTTP/1.1 200 OK\r\n" + big + "\r\n" + STREAM);
    assertEquals(List.of("ended: response head too large"), r.log);
  }

  @Test
  void serverClosingBeforeTheHeadEndsIsAnError() {
    Recorder r = new Recorder();
    ResponseReader reader = r.reader();
    Reads.all(reader, ascii("HTTP/1.1 200 OK\r\nContent-Ty"));
    reader.endOfInput();
    assertEquals(List.of("ended: closed before the response head"), r.log);
  }

  @Test
  void answerOtherThan200EndsWithItsStatusAndTheStartOfItsBody() {
    String problem = "{\"status\":503,\"detail\":\"at most 1000 open streams\"}";
    Recorder r =
        read(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n"
                + "Retry-After: 3\r\nContent-Length: "
                + problem.length()
                + "\r\n\r\n"
                + problem);
    assertEquals(List.of("head 503", "ended: status 503 " + problem), r.log);
  }

  @Test
  void errorBodyIsCutAt512Bytes() {
    String body = "e".repeat(2000);
    Recorder r = new Recorder();
    ResponseReader reader = r.reader();
    Reads.at(reader, ascii("HTTP/1.1 500 Oops\r\n\r\n" + body), 30, 300, 900);
    reader.endOfInput();
    assertEquals("ended: status 500 " + "e".repeat(512), r.ending());
  }

  @Test
  void okAnswerThatIsNotAnEventStreamYieldsNoEvents() {
    String body = "data: not an event\n\n";
    Recorder r =
        read(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"
                + body);
    assertEquals(List.of("head 200", "ended clean"), r.log);
  }

  @Test
  void noContentEndsWithTheHeadAndItsStatus() {
    Recorder r = read("HTTP/1.1 204 No Content\r\n" + Responses.EVENT_STREAM + "\r\n");
    assertEquals(List.of("head 204 event-stream", "ended: status 204"), r.log);
  }

  // --- sized and close-delimited bodies -------------------------------------------------------

  @Test
  void sizedBodyEndsAfterContentLengthBytesAndReadsNoFurther() {
    Recorder r = read(Responses.sized(CREATED) + DELTA);
    assertEquals(
        List.of(
            "head 200 event-stream",
            event(1, "run.created", "{\"id\":1,\"type\":\"run.created\"}"),
            "ended clean"),
        r.log);
  }

  @Test
  void emptySizedBodyEndsWithTheHead() {
    Recorder r = read(Responses.sized(""));
    assertEquals(List.of("head 200 event-stream", "ended clean"), r.log);
  }

  @Test
  void serverClosingInsideASizedBodyIsAnErrorAfterTheEventsSoFar() {
    String wire = Responses.sized(CREATED + DELTA);
    Recorder r = new Recorder();
    ResponseReader reader = r.reader();
    Reads.all(reader, ascii(wire.substring(0, wire.length() - DELTA.length() / 2)));
    reader.endOfInput();
    assertEquals(1, r.events().size());
    assertEquals("ended: closed mid-stream", r.ending());
  }

  @Test
  void bodyWithoutLengthEndsCleanlyWhenTheServerCloses() {
    Recorder r = new Recorder();
    ResponseReader reader = r.reader();
    Reads.all(reader, ascii(Responses.untilClose(STREAM)));
    assertEquals(EXPECTED.subList(0, EXPECTED.size() - 1), r.log);
    reader.endOfInput();
    assertEquals(EXPECTED, r.log);
  }

  @Test
  void eventCutOffByTheServerClosingIsNotDispatched() {
    Recorder r = new Recorder();
    ResponseReader reader = r.reader();
    Reads.all(
        reader, ascii(Responses.untilClose(CREATED + "event: message.delta\nid: 2\ndata: {}\n")));
    reader.endOfInput();
    assertEquals(1, r.events().size());
    assertEquals("ended clean", r.ending());
  }

  // --- chunked bodies ---------------------------------------------------------------------------

  @Test
  void chunkedEventsAreDecoded() {
    assertEquals(EXPECTED, read(Responses.chunked(OPENING, CREATED, DELTA, PING, COMPLETED)).log);
  }

  @Test
  void chunkSizeSplitAcrossReadsStillYieldsOneEvent() {
    String head =
        "HTTP/1.1 200 OK\r\n" + Responses.EVENT_STREAM + "Transfer-Encoding: chunked\r\n\r\n";
    String data = "id: 1\ndata: " + "x".repeat(40) + "\n\n"; // 0x36 bytes: two hex digits
    byte[] wire = ascii(head + Responses.chunkOf(data) + "0\r\n\r\n");
    Recorder r = new Recorder();
    Reads.at(r.reader(), wire, head.length() + 1); // "3" | "6\r\n..."
    assertEquals(List.of(event(1, "none", "x".repeat(40))), r.events());
    assertEquals("ended clean", r.ending());
  }

  @Test
  void crlfOfTheChunkSizeLineSplitAcrossReadsIsStillFraming() {
    String head =
        "HTTP/1.1 200 OK\r\n" + Responses.EVENT_STREAM + "Transfer-Encoding: chunked\r\n\r\n";
    String wire = head + Responses.chunkOf(CREATED) + "0\r\n\r\n";
    int cr = wire.indexOf('\r', head.length());
    Recorder r = new Recorder();
    Reads.at(r.reader(), ascii(wire), cr + 1); // "...\r" | "\nevent: ..."
    assertEquals(
        List.of(event(1, "run.created", "{\"id\":1,\"type\":\"run.created\"}")), r.events());
  }

  @Test
  void crlfAfterChunkDataSplitAcrossReadsIsNotData() {
    String head =
        "HTTP/1.1 200 OK\r\n" + Responses.EVENT_STREAM + "Transfer-Encoding: chunked\r\n\r\n";
    String first = Responses.chunkOf("id: 1\ndata: a\n");
    String wire = head + first + Responses.chunkOf("\n") + "0\r\n\r\n";
    int afterCr = head.length() + first.length() - 1; // "...data: a\n\r" | "\n1\r\n\n\r\n0..."
    Recorder r = new Recorder();
    Reads.at(r.reader(), ascii(wire), afterCr);
    assertEquals(List.of(event(1, "none", "a")), r.events());
    assertEquals("ended clean", r.ending());
  }

  @Test
  void oneEventSpreadOverSeveralChunksIsOneEvent() {
    Recorder r =
        read(
            Responses.chunked(
                "eve", "nt: message.delta\nid: 7\nda", "ta: {\"delta\":\"hi\"}", "\n", "\n"));
    assertEquals(List.of(event(7, "message.delta", "{\"delta\":\"hi\"}")), r.events());
  }

  @Test
  void lineSplitAcrossTwoChunksKeepsItsFirstPart() {
    Recorder r = read(Responses.chunked("id: 1\ndat", "a: {\"x\":1}\n\n"));
    assertEquals(List.of(event(1, "none", "{\"x\":1}")), r.events());
  }

  @Test
  void severalEventsInOneChunkAreAllDelivered() {
    assertEquals(EXPECTED, read(Responses.chunked(STREAM)).log);
  }

  @Test
  void chunkExtensionsAreIgnored() {
    String head =
        "HTTP/1.1 200 OK\r\n" + Responses.EVENT_STREAM + "Transfer-Encoding: chunked\r\n\r\n";
    String data = "id: 4\ndata: e\n\n";
    String size = Integer.toHexString(data.length());
    Recorder r =
        read(
            head
                + size
                + ";name=value\r\n"
                + data
                + "\r\n"
                + size
                + " ; x\r\n"
                + data
                + "\r\n0\r\n\r\n");
    assertEquals(List.of(event(4, "none", "e"), event(4, "none", "e")), r.events());
  }

  @Test
  void chunkSizesAreHexInEitherCase() {
    String head =
        "HTTP/1.1 200 OK\r\n" + Responses.EVENT_STREAM + "Transfer-Encoding: chunked\r\n\r\n";
    String data = "id: 1\ndata: " + "y".repeat(13) + "\n\n"; // 0x1B bytes
    assertEquals(0x1B, data.length());
    Recorder r = read(head + "1B\r\n" + data + "\r\n1b\r\n" + data + "\r\n0\r\n\r\n");
    assertEquals(2, r.events().size());
    assertEquals("ended clean", r.ending());
  }

  @Test
  void lastChunkAndTrailersEndTheStreamOnlyAtTheEmptyLine() {
    String wire = Responses.chunked(CREATED);
    String withTrailer =
        wire.substring(0, wire.length() - 2) + "X-Checksum: 1\r\nX-More: 2\r\n\r\n";
    Recorder r = new Recorder();
    ResponseReader reader = r.reader();
    Reads.all(reader, ascii(withTrailer.substring(0, withTrailer.length() - 2)));
    assertEquals(
        List.of(
            "head 200 event-stream",
            event(1, "run.created", "{\"id\":1,\"type\":\"run.created\"}")),
        r.log);
    Reads.all(reader, ascii("\r\n"));
    assertEquals("ended clean", r.ending());
  }

  @Test
  void badChunkSizeEndsTheStream() {
    String head =
        "HTTP/1.1 200 OK\r\n" + Responses.EVENT_STREAM + "Transfer-Encoding: chunked\r\n\r\n";
    Recorder r = read(head + Responses.chunkOf(CREATED) + "zz\r\n" + DELTA);
    assertEquals(1, r.events().size());
    assertEquals("ended: bad chunk size", r.ending());
  }

  @Test
  void serverClosingBeforeTheLastChunkIsAnError() {
    String wire = Responses.chunked(CREATED, DELTA);
    Recorder r = new Recorder();
    ResponseReader reader = r.reader();
    Reads.all(reader, ascii(wire.substring(0, wire.length() - "0\r\n\r\n".length())));
    reader.endOfInput();
    assertEquals(2, r.events().size());
    assertEquals("ended: closed mid-stream", r.ending());
  }

  // --- reads cut anywhere ---------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("framings")
  void everyFramingYieldsTheSameEvents(Framing f) {
    assertEquals(EXPECTED, read(f).log);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("framings")
  void readsCutAtAnyOneByteYieldTheSameEvents(Framing f) {
    byte[] wire = ascii(f.wire());
    for (int cut = 1; cut < wire.length; cut++) {
      assertEquals(EXPECTED, read(f, cut).log, "cut at " + cut);
    }
  }

  /** Two cuts near each other: a size line or a CRLF in three reads, a line end and a size. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("chunkedFramings")
  void chunkedReadsCutTwiceWithinAFewBytesYieldTheSameEvents(Framing f) {
    byte[] wire = ascii(f.wire());
    for (int a = 1; a < wire.length; a++) {
      for (int b = a + 1; b < Math.min(wire.length, a + 12); b++) {
        List<String> log = read(f, a, b).log;
        if (!EXPECTED.equals(log)) {
          assertEquals(EXPECTED, log, "cuts at " + a + " and " + b);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("framings")
  void oneByteReadsYieldTheSameEvents(Framing f) {
    Recorder r = new Recorder();
    ResponseReader reader = r.reader();
    Reads.byteByByte(reader, ascii(f.wire()));
    if (f.serverCloses()) {
      reader.endOfInput();
    }
    assertEquals(EXPECTED, r.log);
  }

  @Test
  void eventIsTimedByTheReadThatEndedIt() {
    String wire = Responses.chunked(CREATED, DELTA);
    int endOfFirst = wire.indexOf("\n\n") + 1; // the first event's empty line comes in read 1
    Recorder r = new Recorder();
    Reads.at(r.reader(), ascii(wire), endOfFirst, wire.indexOf("message.delta"));
    assertEquals(List.of(Reads.micros(1), Reads.micros(2)), r.eventMicros);
  }

  // --- stopping ---------------------------------------------------------------------------------

  @Test
  void handlerStoppingTheStreamGetsNothingAfterIt() {
    Recorder r = new Recorder().stopWhen(line -> line.startsWith("event 1 "));
    Reads.all(r.reader(), ascii(Responses.chunked(STREAM)));
    assertEquals(
        List.of(
            "head 200 event-stream",
            "comment",
            event(1, "run.created", "{\"id\":1,\"type\":\"run.created\"}"),
            "ended: stopped by the handler"),
        r.log);
  }

  @Test
  void handlerStoppingTheStreamAtItsHeadGetsNoEvent() {
    Recorder r = new Recorder().stopWhen(line -> line.startsWith("head"));
    Reads.all(r.reader(), ascii(Responses.chunked(STREAM)));
    assertEquals(List.of("head 200 event-stream", "ended: stopped by the handler"), r.log);
  }

  @Test
  void streamEndsOnceWhateverComesAfter() {
    Recorder r = new Recorder();
    ResponseReader reader = r.reader();
    Reads.all(reader, ascii(Responses.chunked(CREATED)));
    reader.stop("client stopped");
    reader.endOfInput();
    Reads.all(reader, ascii(DELTA));
    assertTrue(reader.over());
    assertEquals(1, r.log.stream().filter(l -> l.startsWith("ended")).count());
    assertEquals("ended clean", r.ending());
  }

  @Test
  void stopBeforeAnyByteReportsTheReasonAlone() {
    Recorder r = new Recorder();
    r.reader().stop("connect: ConnectException: Connection refused");
    assertEquals(List.of("ended: connect: ConnectException: Connection refused"), r.log);
  }

  // --- helpers ----------------------------------------------------------------------------------

  private static Recorder read(String wire) {
    return read(new Framing("", wire, false));
  }

  private static Recorder read(Framing f, int... cuts) {
    Recorder r = new Recorder();
    ResponseReader reader = r.reader();
    Reads.at(reader, ascii(f.wire()), cuts);
    if (f.serverCloses()) {
      reader.endOfInput();
    }
    return r;
  }

  /** {@code s} cut into pieces of {@code n} characters. */
  private static String[] pieces(String s, int n) {
    return Stream.iterate(0, i -> i < s.length(), i -> i + n)
        .map(i -> s.substring(i, Math.min(s.length(), i + n)))
        .toArray(String[]::new);
  }
}
