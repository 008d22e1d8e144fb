package dev.runstream.runs.entity;

import dev.runstream.Jsons;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * One event of a run, immutable once it has its id. {@code json} is the envelope exactly as it goes
 * out in an SSE {@code data:} line, encoded once when the event is appended.
 */
public record RunEvent(
    long id, String runId, String type, Instant createdAt, JsonObject data, String json) {

  public static final String RUN_CREATED = "run.created";
  public static final String RUN_IN_PROGRESS = "run.in_progress";
  public static final String RUN_COMPLETED = "run.completed";
  public static final String RUN_FAILED = "run.failed";
  public static final String RUN_CANCELLED = "run.cancelled";
  public static final String MESSAGE_DELTA = "message.delta";
  public static final String MESSAGE_COMPLETED = "message.completed";

  private static final Set<String> TERMINAL = Set.of(RUN_COMPLETED, RUN_FAILED, RUN_CANCELLED);

  public static RunEvent of(
      long id, String runId, String type, Instant createdAt, JsonObject data) {
    String json =
        Jsons.object()
            .add("id", id)
            .add("run_id", runId)
            .add("type", type)
            .add("created_at", Timestamps.wire(createdAt))
            .add("data", data)
            .build()
            .toString();
    return new RunEvent(id, runId, type, createdAt, data, json);
  }

  /** An event read back from its envelope ({@link #json()}), as the store keeps it. */
  public static RunEvent parse(String json) {
    JsonObject envelope = Jsons.readObject(json);
    return new RunEvent(
        envelope.getJsonNumber("id").longValueExact(),
        envelope.getString("run_id"),
        envelope.getString("type"),
        Instant.parse(envelope.getString("created_at")),
        envelope.getJsonObject("data"),
        json);
  }

  public static boolean isTerminal(String type) {
    return TERMINAL.contains(type);
  }

  public boolean terminal() {
    return isTerminal(type);
  }
}
