package dev.runstream.runs.entity;

import jakarta.json.JsonObject;
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
}
