package dev.runstream.testing;

import jakarta.json.JsonObject;

/** An event as a subscriber got it: the SSE id and event name, and the JSON envelope. */
public record Received(long id, String type, JsonObject envelope) {

  public JsonObject data() {
    return envelope.getJsonObject("data");
  }

  public boolean terminal() {
    return type.equals("run.completed")
        || type.equals("run.failed")
        || type.equals("run.cancelled");
  }
}
