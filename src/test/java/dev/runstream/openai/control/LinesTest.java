package dev.runstream.openai.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runstream.openai.entity.UpstreamException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LinesTest {

  private final Lines lines = new Lines(16);
  private final List<String> got = new ArrayList<>();

  private void feed(byte[] bytes) {
    lines.feed(ByteBuffer.wrap(bytes), got::add);
  }

  private void feed(String text) {
    feed(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void eachLineIsHandedOverAsSoonAsItsEndArrives() {
    feed("data: a\n\nda");
    assertEquals(List.of("data: a", ""), got);
    feed("ta: b\r\n");
    assertEquals(List.of("data: a", "", "data: b"), got, "CRLF ends a line too");
  }

  @Test
  void aCharacterSplitAcrossBuffersIsDecodedWhole() {
    byte[] bytes = "é€\n".getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      feed(new byte[] {b});
    }
    assertEquals(List.of("é€"), got);
  }

  @Test
  void whatFollowsTheLastLineBreakIsTheRest() {
    feed("one\ntwo");
    assertEquals(List.of("one"), got);
    assertEquals(Optional.of("two"), lines.rest());
    assertEquals(Optional.empty(), lines.rest());
  }

  @Test
  void aLineLongerThanTheLimitIsABadResponse() {
    feed("sixteen bytes ok\n");
    assertEquals(List.of("sixteen bytes ok"), got);
    UpstreamException e = assertThrows(UpstreamException.class, () -> feed("seventeen bytes!!"));
    assertEquals("upstream_bad_response", e.error().code());
  }
}
