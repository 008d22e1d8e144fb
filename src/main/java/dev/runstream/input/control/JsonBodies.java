package dev.runstream.input.control;

import dev.runstream.Jsons;
import dev.runstream.input.entity.Body;
import dev.runstream.input.entity.InvalidInputException;
import dev.runstream.input.entity.PayloadTooLargeException;
import dev.runstream.input.entity.Violations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.NoSuchElementException;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads request bodies: at most {@code chat.limits.body-bytes} bytes, strict UTF-8, one JSON
 * object, each key once, no lone surrogate. Anything else is a clear {@link InvalidInputException}
 * or {@link PayloadTooLargeException}, never a parser's message.
 */
@ApplicationScoped
public class JsonBodies {

  /** Deep enough for any body of the API and a producer's own event data. */
  static final int MOST_DEPTH = 32;

  @Inject
  @ConfigProperty(name = "chat.limits.body-bytes", defaultValue = "1048576")
  long limit;

  public long limit() {
    return limit;
  }

  public JsonObject readObject(InputStream body) {
    return read(body).json();
  }

  /** The body as one JSON object, with a fingerprint of its bytes. */
  public Body read(InputStream body) {
    byte[] bytes = readBounded(body);
    return new Body(object(decode(bytes)), sha256(bytes));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static JsonObject object(String text) {
    if (text.isBlank()) {
      throw new InvalidInputException("", "The request body is empty: send a JSON object.");
    }
    JsonValue value;
    try {
      checkShape(text);
      try (JsonParser parser = Jsons.parser(new StringReader(text))) {
        parser.next();
        value = parser.getValue();
        if (parser.hasNext()) { // the parser throws first, with the place, on most trailing text
          throw new InvalidInputException("", "The request body is not valid JSON.");
        }
      }
    } catch (JsonParsingException e) {
      var at = e.getLocation();
      throw new InvalidInputException(
          "",
          at == null
              ? "The request body is not valid JSON."
              : "The request body is not valid JSON (line "
                  + at.getLineNumber()
                  + ", column "
                  + at.getColumnNumber()
                  + ").");
    } catch (JsonException | IllegalStateException | NoSuchElementException e) {
      throw new InvalidInputException("", "The request body is not valid JSON.");
    }
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw new InvalidInputException("", "The request body must be a JSON object.");
    }
    return value.asJsonObject();
  }

  /**
   * Walks the body once before any value is built, and refuses what a reader could take two ways:
   * nesting deeper than {@link #MOST_DEPTH} (building is recursive, and a body of a million
   * brackets would overflow the stack), a key given twice in one object (parsers differ on which
   * one wins), and a string with a lone surrogate (an escaped half of a surrogate pair without the
   * other: no character, it cannot be stored or sent as UTF-8). Each with the JSON Pointer of the
   * place.
   */
  private static void checkShape(String text) {
    try (JsonParser parser = Jsons.parser(new StringReader(text))) {
      Deque<Level> levels = new ArrayDeque<>();
      while (parser.hasNext()) {
        JsonParser.Event event = parser.next();
        switch (event) {
          case START_OBJECT, START_ARRAY -> {
            String at = levels.isEmpty() ? "" : levels.peek().value();
            if (levels.size() >= MOST_DEPTH) {
              throw new InvalidInputException(
                  at, "The request body is nested deeper than " + MOST_DEPTH + " levels.");
            }
            levels.push(new Level(at, event == JsonParser.Event.START_OBJECT));
          }
          case END_OBJECT, END_ARRAY -> {
            levels.pop();
            if (!levels.isEmpty()) {
              levels.peek().next();
            }
          }
          case KEY_NAME -> {
            Level object = levels.peek();
            String key = parser.getString();
            object.key(key);
            if (hasLoneSurrogate(key)) { // the object's place: the key itself cannot be written
              throw new InvalidInputException(
                  object.pointer, "The key has a lone surrogate (\\ud800 to \\udfff alone).");
            }
            if (!object.keys.add(key)) {
              throw new InvalidInputException(
                  object.value(), "The key is given twice in one object: give it once.");
            }
          }
          default -> {
            Level level = levels.peek();
            if (level == null) { // a value alone, not an object: refused once it is read
              break;
            }
            if (event == JsonParser.Event.VALUE_STRING && hasLoneSurrogate(parser.getString())) {
              throw new InvalidInputException(
                  level.value(), "The string has a lone surrogate (\\ud800 to \\udfff alone).");
            }
            level.next();
          }
        }
      }
    }
  }

  /** An object or array being walked: where it is, and where its current value is. */
  private static final class Level {
    private final String pointer;
    private final Set<String> keys;
    private String key;
    private int index;

    Level(String pointer, boolean object) {
      this.pointer = pointer;
      this.keys = object ? new HashSet<>() : null;
    }

    void key(String key) {
      this.key = key;
    }

    void next() {
      index++;
    }

    /** The JSON Pointer of the value being read. */
    String value() {
      return pointer + "/" + (keys == null ? Integer.toString(index) : Violations.escape(key));
    }
  }

  static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private byte[] readBounded(InputStream body) {
    if (body == null) {
      return new byte[0];
    }
    try (body) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = body.read(buffer)) != -1; ) {
        if (bytes.size() + (long) n > limit) {
          throw new PayloadTooLargeException(limit);
        }
        bytes.write(buffer, 0, n);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new InvalidInputException("", "The request body could not be read.");
    }
  }

  private static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException("", "The request body is not valid UTF-8.");
    }
  }
}
