package dev.runstream.testing;

import dev.runstream.runs.entity.ChatMessage;
import dev.runstream.runs.entity.Role;
import dev.runstream.runs.entity.RunRequest;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Map;

/** The request of an {@code external} run with one user message, as in-container tests make it. */
public final class ExternalRuns {

  private ExternalRuns() {}

  public static RunRequest request() {
    return new RunRequest(
        List.of(new ChatMessage(Role.USER, "hi")),
        "external",
        null,
        Map.of(),
        JsonValue.EMPTY_JSON_OBJECT);
  }
}
