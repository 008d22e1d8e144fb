package dev.runstream.input.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.input.entity.InvalidInputException;
import dev.runstream.input.entity.PayloadTooLargeException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodiesTest {

  private final JsonBodies bodies = new JsonBodies();

  {
    bodies.limit = 64;
  }

  private static ByteArrayInputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private String detail(byte[] body) {
    return assertThrows(
            InvalidInputException.class, () -> bodies.readObject(new ByteArrayInputStream(body)))
        .violations()
        .get(0)
        .detail();
  }

  @Test
  void readsAnObject() {
    assertEquals("b", bodies.readObject(bytes("{\"a\":\"b\"}")).getString("a"));
  }

  @Test
  void aBodyOverTheLimitIsRefusedWhileItIsRead() {
    String big = "{\"a\":\"" + "x".repeat(100) + "\"}";
    assertEquals(
        64,
        assertThrows(PayloadTooLargeException.class, () -> bodies.readObject(bytes(big))).limit());
  }

  @Test
  void invalidUtf8IsNamedAsSuch() {
    assertEquals(
        "The request body is not valid UTF-8.",
        detail(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'}));
  }

  @Test
  void badJsonSaysWhereButNotTheParsersWords() {
    assertEquals(
        "The request body is not valid JSON (line 1, column 6).",
        detail("{\"a\":}".getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"text\"", "42", "null"})
  void anythingButAnObjectIsRefused(String json) {
    assertEquals(
        "The request body must be a JSON object.", detail(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void anEmptyBodyIsRefused() {
    assertEquals("The request body is empty: send a JSON object.", detail(new byte[0]));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":1} x", "{\"a\":1}{}", "{}]"})
  void anythingAfterTheObjectIsRefused(String json) {
    String detail = detail(json.getBytes(StandardCharsets.UTF_8));
    assertTrue(
        detail.matches("The request body is not valid JSON \\(line 1, column \\d+\\)\\."), detail);
  }

  @Test
  void whiteSpaceAroundTheObjectIsFine() {
    assertEquals(1, bodies.readObject(bytes(" \n{\"a\":1}\r\n ")).getInt("a"));
  }

  @Test
  void nestingDeeperThanTheLimitIsRefusedWithoutBuildingIt() {
    bodies.limit = 1 << 20;
    String deep = "{\"a\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
    assertEquals(
        "The request body is nested deeper than 32 levels.",
        detail(deep.getBytes(StandardCharsets.UTF_8)));
    String fits = "{\"a\":" + "[".repeat(31) + "]".repeat(31) + "}";
    assertEquals(31, depth(bodies.readObject(bytes(fits)).get("a")));
  }

  private InvalidInputException refused(String json) {
    bodies.limit = 1 << 20;
    return assertThrows(InvalidInputException.class, () -> bodies.readObject(bytes(json)));
  }

  @Test
  void aKeyGivenTwiceIsRefusedWithItsPlace() {
    var top = refused("{\"type\":\"x\",\"type\":\"run.completed\"}").violations().get(0);
    assertEquals("/type", top.pointer());
    assertEquals("The key is given twice in one object: give it once.", top.detail());
    var deep =
        refused("{\"messages\":[{\"role\":\"user\"},{\"content\":\"a\",\"content\":\"b\"}]}")
            .violations()
            .get(0);
    assertEquals("/messages/1/content", deep.pointer());
  }

  @Test
  void theSameKeyInTwoObjectsIsFine() {
    assertEquals(2, bodies.readObject(bytes("{\"a\":{\"k\":1},\"b\":{\"k\":2}}")).size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\\ud800", "\\udfff", "x\\ud83d", "\\ude00x", "\\ude00\\ud83d"})
  void aLoneSurrogateIsRefusedWithItsPlace(String escaped) {
    var value = refused("{\"a\":[\"ok\",\"" + escaped + "\"]}").violations().get(0);
    assertEquals("/a/1", value.pointer());
    assertEquals("The string has a lone surrogate (\\ud800 to \\udfff alone).", value.detail());
    var key = refused("{\"ok\":{\"" + escaped + "\":1}}").violations().get(0);
    assertEquals("/ok", key.pointer());
    assertEquals("The key has a lone surrogate (\\ud800 to \\udfff alone).", key.detail());
  }

  @Test
  void aSurrogatePairIsACharacter() {
    assertEquals(
        "\ud83d\ude00", bodies.readObject(bytes("{\"a\":\"\\ud83d\\ude00\"}")).getString("a"));
  }

  private static int depth(jakarta.json.JsonValue value) {
    return value.getValueType() == jakarta.json.JsonValue.ValueType.ARRAY
            && !value.asJsonArray().isEmpty()
        ? 1 + depth(value.asJsonArray().get(0))
        : 1;
  }
}
