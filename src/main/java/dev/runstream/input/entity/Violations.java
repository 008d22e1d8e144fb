package dev.runstream.input.entity;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Collects what is wrong with a JSON body, so one answer lists every problem. The typed getters
 * record a violation and return null when a field has the wrong type; absent and JSON null are both
 * "not given".
 */
public final class Violations {

  /** Enough to fix a request by; a hostile body with thousands of errors gets the first ones. */
  private static final int MOST = 20;

  private static final int LONGEST_KEY = 64;

  private final List<Violation> found = new ArrayList<>();

  public void add(String pointer, String detail) {
    if (found.size() < MOST) {
      found.add(new Violation(pointer, detail));
    }
  }

  public boolean isEmpty() {
    return found.isEmpty();
  }

  public void throwIfAny() {
    if (!found.isEmpty()) {
      throw new InvalidInputException(found);
    }
  }

  public void onlyKnownFields(JsonObject json, String base, Set<String> known) {
    json.keySet().stream()
        .filter(key -> !known.contains(key))
        .sorted()
        .forEach(key -> add(base + "/" + escape(key), "Unknown field."));
  }

  public String string(JsonObject json, String base, String name) {
    JsonValue value = given(json, name);
    if (value == null) {
      return null;
    }
    if (value.getValueType() != JsonValue.ValueType.STRING) {
      add(base + "/" + name, "Must be a string.");
      return null;
    }
    return ((JsonString) value).getString();
  }

  public JsonObject object(JsonObject json, String base, String name) {
    JsonValue value = given(json, name);
    if (value == null) {
      return null;
    }
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      add(base + "/" + name, "Must be a JSON object.");
      return null;
    }
    return value.asJsonObject();
  }

  /** The field, or null if it is absent or JSON null. */
  public static JsonValue given(JsonObject json, String name) {
    JsonValue value = json.get(name);
    return value == null || value.getValueType() == JsonValue.ValueType.NULL ? null : value;
  }

  /** A key as a JSON Pointer reference token (RFC 6901), cut short if it is very long. */
  public static String escape(String key) {
    String shown = key.length() > LONGEST_KEY ? key.substring(0, LONGEST_KEY) + "..." : key;
    return shown.replace("~", "~0").replace("/", "~1");
  }
}
