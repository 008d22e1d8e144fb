package dev.runstream.runs.entity;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/** Why a run failed: a stable machine-readable code and a message for people. */
public record RunError(String code, String message) {

  public JsonObject toJson() {
    return Json.createObjectBuilder().add("code", code).add("message", message).build();
  }
}
