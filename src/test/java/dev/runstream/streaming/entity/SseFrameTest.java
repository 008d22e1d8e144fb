package dev.runstream.streaming.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseFrameTest {

  @Test
  void aFrameIsItsLinesInUtf8WithoutTheBlankLineThatEndsIt() throws IOException {
    SseFrame frame = SseFrame.of(7, "token.delta", "{\"text\":\"héllo ✓\"}");
    assertEquals(7, frame.id());
    assertEquals("id: 7\nevent: token.delta\ndata: {\"text\":\"héllo ✓\"}\n", lines(frame));
    assertEquals("{\"text\":\"héllo ✓\"}", data(frame));
  }

  @Test
  void dataOfSeveralLinesGetsADataFieldPerLineAndKeepsItsOwnLineEndsAsData() throws IOException {
    SseFrame frame = SseFrame.of(2, "x", "a\r\nb\rc\nd\n");
    assertEquals("id: 2\nevent: x\ndata: a\ndata: b\ndata: c\ndata: d\ndata: \n", lines(frame));
    assertEquals("a\r\nb\rc\nd\n", data(frame));
  }

  @Test
  void aNameCannotEndTheLineItIsOn() throws IOException {
    assertEquals("id: 1\nevent: ab\ndata: {}\n", lines(SseFrame.of(1, "a\r\nb", "{}")));
  }

  private static String lines(SseFrame frame) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frame.writeTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String data(SseFrame frame) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frame.writeDataTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
