package dev.runstream.runs.entity;

import dev.runstream.Jsons;
import jakarta.json.JsonObject;

/** One message of a run's input. */
public record ChatMessage(Role role, String content) {

  public JsonObject toJson() {
    return Jsons.object().add("role", role.wire()).add("content", content).build();
  }
}
