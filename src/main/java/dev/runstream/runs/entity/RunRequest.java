package dev.runstream.runs.entity;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated request to start a run. {@code responder} is already resolved (the default applied);
 * {@code model} may be null; {@code options} belong to the responder, which checks them.
 */
public record RunRequest(
    List<ChatMessage> messages,
    String responder,
    String model,
    Map<String, String> metadata,
    JsonObject options) {

  public RunRequest {
    messages = List.copyOf(messages);
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** The request a run was created with, read back from the run as clients see it. */
  public static RunRequest of(JsonObject run) {
    List<ChatMessage> messages = new ArrayList<>();
    for (JsonValue value : run.getJsonObject("input").getJsonArray("messages")) {
      JsonObject message = value.asJsonObject();
      messages.add(
          new ChatMessage(
              Role.fromWire(message.getString("role")).orElseThrow(),
              message.getString("content")));
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    run.getJsonObject("metadata")
        .forEach((key, value) -> metadata.put(key, ((JsonString) value).getString()));
    return new RunRequest(
        messages,
        run.getString("responder"),
        run.isNull("model") ? null : run.getString("model"),
        metadata,
        run.getJsonObject("options"));
  }
}
