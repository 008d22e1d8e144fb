package dev.runstream.input.control;

import dev.runstream.Jsons;
import dev.runstream.input.entity.Body;
import dev.runstream.input.entity.InvalidInputException;
import dev.runstream.input.entity.PayloadTooLargeException;
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
import java.util.HexFormat;
import java.util.NoSuchElementException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads request bodies: at most {@code chat.limits.body-bytes} bytes, strict UTF-8, one JSON
 * object. Anything else is a clear {@link InvalidInputException} or {@link
 * PayloadTooLargeException}, never a parser's message.
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
      checkDepth(text);
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
   * Refuses nesting deeper than {@link #MOST_DEPTH} before any value is built: building is
   * recursive, and a body of a million brackets would overflow the stack.
   */
  private static void checkDepth(String text) {
    try (JsonParser parser = Jsons.parser(new StringReader(text))) {
      int depth = 0;
      while (parser.hasNext()) {
        switch (parser.next()) {
          case START_OBJECT, START_ARRAY -> {
            if (++depth > MOST_DEPTH) {
              throw new InvalidInputException(
                  "", "The request body is nested deeper than " + MOST_DEPTH + " levels.");
            }
          }
          case END_OBJECT, END_ARRAY -> depth--;
          default -> {
            // values do not nest
          }
        }
      }
    }
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
