package dev.runstream.bench.sse;

import static dev.runstream.bench.sse.Reads.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The status line and headers, and where the body starts. */
class ResponseHeadTest {

  private final ResponseHead head = new ResponseHead();

  @Test
  void readStopsWhereTheBodyStarts() {
    byte[] wire = ascii("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody");
    assertEquals(wire.length - 4, head.read(wire, 0, wire.length));
    assertTrue(head.complete());
    assertEquals(200, head.status());
    assertEquals(4, head.contentLength());
  }

  @Test
  void headInPiecesIsReadAcrossCalls() {
    byte[] wire = ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    assertEquals(10, head.read(wire, 0, 10));
    assertFalse(head.complete());
    assertEquals(wire.length, head.read(wire, 10, wire.length));
    assertTrue(head.complete());
    assertTrue(head.chunked());
  }

  @Test
  void bareLfLineEndsAreAccepted() {
    read("HTTP/1.1 200 OK\nContent-Type: text/event-stream\n\n");
    assertTrue(head.complete());
    assertTrue(head.eventStream());
  }

  @Test
  void contentTypeWithParametersIsStillAnEventStream() {
    read("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream;charset=UTF-8\r\n\r\n");
    assertTrue(head.eventStream());
  }

  @Test
  void otherContentTypesAreNotAnEventStream() {
    read("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n");
    assertFalse(head.eventStream());
  }

  @Test
  void chunkedIsFoundInAListOfCodings() {
    read("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
    assertTrue(head.chunked());
  }

  @Test
  void headersAreOptionalAndTheirValuesTrimmed() {
    read("HTTP/1.1 200 OK\r\nContent-Length:   12  \r\n\r\n");
    assertEquals(12, head.contentLength());
    assertFalse(head.chunked());
    assertFalse(head.eventStream());
  }

  @Test
  void noContentLengthIsMinusOne() {
    read("HTTP/1.1 200 OK\r\n\r\n");
    assertEquals(-1, head.contentLength());
  }

  @Test
  void headerLineWithoutAColonIsIgnored() {
    read("HTTP/1.1 200 OK\r\nnonsense\r\n: no name\r\nContent-Type: text/event-stream\r\n\r\n");
    assertTrue(head.complete());
    assertTrue(head.eventStream());
  }

  @Test
  void statusLineWithoutANumberGivesMinusOne() {
    read("HTTP/1.1 OK\r\n\r\n");
    assertEquals(-1, head.status());
    ResponseHead none = new ResponseHead();
    byte[] bare = ascii("garbage\r\n\r\n");
    none.read(bare, 0, bare.length);
    assertEquals(-1, none.status());
  }

  @Test
  void interimContinueIsSkipped() {
    read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
    assertTrue(head.complete());
    assertEquals(201, head.status());
    assertEquals(0, head.contentLength());
  }

  @Test
  void headPastTheLimitIsTooLarge() {
    byte[] wire = ascii("HTTP/1.1 200 OK\r\nX: " + "x".repeat(ResponseHead.LIMIT) + "\r\n\r\n");
    assertEquals(wire.length, head.read(wire, 0, wire.length));
    assertTrue(head.tooLarge());
    assertFalse(head.complete());
  }

  private void read(String text) {
    byte[] wire = ascii(text);
    head.read(wire, 0, wire.length);
  }
}
