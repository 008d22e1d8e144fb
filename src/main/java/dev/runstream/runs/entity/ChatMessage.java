package dev.runstream.runs.entity;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/** One message of a run's input. */
public record ChatMessage(Role role, String content) {

  public JsonObject toJson() {
    return Json.createObjectBuilder().add("role", role.wire()).add("content", content).build();
  }
}
