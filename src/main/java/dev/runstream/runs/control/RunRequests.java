package dev.runstream.runs.control;

import dev.runstream.input.entity.Violations;
import dev.runstream.runs.entity.ChatMessage;
import dev.runstream.runs.entity.Responder;
import dev.runstream.runs.entity.Role;
import dev.runstream.runs.entity.RunRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns a create-run body into a {@link RunRequest}, or lists everything wrong with it. */
@ApplicationScoped
public class RunRequests {

  static final int MOST_MESSAGES = 1000;
  static final int LONGEST_MODEL = 256;
  static final int MOST_METADATA = 16;
  static final int LONGEST_METADATA_KEY = 64;
  static final int LONGEST_METADATA_VALUE = 512;

  private static final Set<String> FIELDS =
      Set.of("messages", "responder", "model", "metadata", "options");

  @Inject Responders responders;

  public RunRequest parse(JsonObject body) {
    Violations violations = new Violations();
    violations.onlyKnownFields(body, "", FIELDS);
    List<ChatMessage> messages = messages(body, violations);
    Optional<Responder> responder = responder(body, violations);
    String model = model(body, violations);
    Map<String, String> metadata = metadata(body, violations);
    JsonObject options = violations.object(body, "", "options");
    if (options == null) {
      options = JsonValue.EMPTY_JSON_OBJECT;
    }
    final JsonObject given = options;
    responder.ifPresent(r -> r.checkOptions(given, violations));
    if (responder.isPresent()) {
      model = responder.get().model(model, violations);
    }
    violations.throwIfAny();
    return new RunRequest(messages, responder.orElseThrow().name(), model, metadata, options);
  }

  private static List<ChatMessage> messages(JsonObject body, Violations violations) {
    JsonValue value = Violations.given(body, "messages");
    if (value == null) {
      violations.add("/messages", "Required: give at least one message.");
      return List.of();
    }
    if (value.getValueType() != JsonValue.ValueType.ARRAY) {
      violations.add("/messages", "Must be an array of messages.");
      return List.of();
    }
    JsonArray array = value.asJsonArray();
    if (array.isEmpty()) {
      violations.add("/messages", "Give at least one message.");
    } else if (array.size() > MOST_MESSAGES) {
      violations.add("/messages", "At most " + MOST_MESSAGES + " messages.");
      return List.of();
    }
    List<ChatMessage> messages = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      message(array.get(i), "/messages/" + i, violations).ifPresent(messages::add);
    }
    return messages;
  }

  private static Optional<ChatMessage> message(
      JsonValue value, String pointer, Violations violations) {
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      violations.add(pointer, "Must be an object with role and content.");
      return Optional.empty();
    }
    JsonObject json = value.asJsonObject();
    violations.onlyKnownFields(json, pointer, Set.of("role", "content"));
    String role = violations.string(json, pointer, "role");
    String content = violations.string(json, pointer, "content");
    Optional<Role> parsed = role == null ? Optional.empty() : Role.fromWire(role);
    if (role == null && Violations.given(json, "role") == null) {
      violations.add(pointer + "/role", "Required: system, user or assistant.");
    } else if (role != null && parsed.isEmpty()) {
      violations.add(pointer + "/role", "Must be system, user or assistant.");
    }
    if (content == null && Violations.given(json, "content") == null) {
      violations.add(pointer + "/content", "Required: the message text.");
    }
    if (parsed.isEmpty() || content == null) {
      return Optional.empty();
    }
    return Optional.of(new ChatMessage(parsed.get(), content));
  }

  private Optional<Responder> responder(JsonObject body, Violations violations) {
    String name = violations.string(body, "", "responder");
    if (name == null && Violations.given(body, "responder") != null) {
      return Optional.empty();
    }
    String wanted = name == null ? responders.defaultName() : name;
    Optional<Responder> responder = responders.named(wanted);
    if (responder.isEmpty()) {
      violations.add("/responder", "Unknown responder: use one of " + responders.names() + ".");
    }
    return responder;
  }

  private static String model(JsonObject body, Violations violations) {
    String model = violations.string(body, "", "model");
    if (model != null && (model.isBlank() || model.length() > LONGEST_MODEL)) {
      violations.add("/model", "Must be 1 to " + LONGEST_MODEL + " characters.");
    }
    return model;
  }

  private static Map<String, String> metadata(JsonObject body, Violations violations) {
    JsonObject json = violations.object(body, "", "metadata");
    if (json == null) {
      return Map.of();
    }
    if (json.size() > MOST_METADATA) {
      violations.add("/metadata", "At most " + MOST_METADATA + " entries.");
      return Map.of();
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    json.forEach(
        (key, value) -> {
          String pointer = "/metadata/" + Violations.escape(key);
          if (key.isEmpty() || key.length() > LONGEST_METADATA_KEY) {
            violations.add(pointer, "Keys must be 1 to " + LONGEST_METADATA_KEY + " characters.");
          } else if (value.getValueType() != JsonValue.ValueType.STRING) {
            violations.add(pointer, "Values must be strings.");
          } else if (json.getString(key).length() > LONGEST_METADATA_VALUE) {
            violations.add(
                pointer, "Values must be at most " + LONGEST_METADATA_VALUE + " characters.");
          } else {
            metadata.put(key, json.getString(key));
          }
        });
    return metadata;
  }
}
