package dev.runstream.openai.control;

import dev.runstream.Jsons;
import dev.runstream.openai.entity.Chunk;
import dev.runstream.openai.entity.UpstreamException;
import dev.runstream.openai.entity.UpstreamFailure;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.NoSuchElementException;

/**
 * Reads one {@code chat.completion.chunk}: the first choice's {@code delta.content} and {@code
 * finish_reason}, and {@code usage}. Lenient about what it does not need (unknown fields, absent
 * ones, other choices), strict about the type of what it reads. An {@code error} object in the
 * stream is the server's own failure.
 */
final class Chunks {

  private Chunks() {}

  static Chunk parse(String data) {
    JsonObject chunk = object(data);
    if (given(chunk.get("error"))) {
      throw new UpstreamException(
          UpstreamFailure.ERROR, "The model server reported an error in the middle of its reply.");
    }
    String content = "";
    String finishReason = null;
    JsonObject choice = firstChoice(chunk);
    if (choice != null) {
      JsonValue delta = choice.get("delta");
      if (given(delta)) {
        content = string(expect(delta, JsonValue.ValueType.OBJECT).asJsonObject(), "content", "");
      }
      finishReason = string(choice, "finish_reason", null);
    }
    JsonValue usage = chunk.get("usage");
    return new Chunk(
        content,
        finishReason,
        given(usage) ? expect(usage, JsonValue.ValueType.OBJECT).asJsonObject() : null);
  }

  /** One JSON object and nothing after it. */
  private static JsonObject object(String data) {
    JsonValue value;
    try (JsonParser parser = Jsons.parser(new StringReader(data))) {
      parser.next();
      value = parser.getValue();
      if (parser.hasNext()) {
        throw bad("a chunk is not valid JSON");
      }
    } catch (JsonException | IllegalStateException | NoSuchElementException e) {
      throw bad("a chunk is not valid JSON");
    }
    return expect(value, JsonValue.ValueType.OBJECT).asJsonObject();
  }

  /** The choice with index 0 (or the first without an index); null if there is none. */
  private static JsonObject firstChoice(JsonObject chunk) {
    JsonValue choices = chunk.get("choices");
    if (!given(choices)) {
      return null;
    }
    for (JsonValue value : expect(choices, JsonValue.ValueType.ARRAY).asJsonArray()) {
      JsonObject choice = expect(value, JsonValue.ValueType.OBJECT).asJsonObject();
      JsonValue index = choice.get("index");
      if (!given(index)
          || (index.getValueType() == JsonValue.ValueType.NUMBER && index.toString().equals("0"))) {
        return choice;
      }
    }
    return null;
  }

  private static String string(JsonObject json, String name, String absent) {
    JsonValue value = json.get(name);
    if (!given(value)) {
      return absent;
    }
    return ((JsonString) expect(value, JsonValue.ValueType.STRING)).getString();
  }

  private static JsonValue expect(JsonValue value, JsonValue.ValueType type) {
    if (value.getValueType() != type) {
      throw bad("a chunk has a field of the wrong type");
    }
    return value;
  }

  private static boolean given(JsonValue value) {
    return value != null && value.getValueType() != JsonValue.ValueType.NULL;
  }

  private static UpstreamException bad(String why) {
    return new UpstreamException(
        UpstreamFailure.BAD_RESPONSE, "The model server's stream could not be read: " + why + ".");
  }
}
