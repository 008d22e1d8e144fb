package dev.runstream.runs.entity;

import dev.runstream.Jsons;
import jakarta.json.JsonObject;

/** Why a run failed: a stable machine-readable code and a message for people. */
public record RunError(String code, String message) {

  public JsonObject toJson() {
    return Jsons.object().add("code", code).add("message", message).build();
  }
}
