package dev.runstream.runs.entity;

import jakarta.json.JsonObject;
import java.time.Instant;

/**
 * A run as the store keeps it: its state as of its last committed event ({@code json}, as clients
 * see it, {@code last_event_id} included) and what the store indexes it by; {@code owner} is the
 * subject it belongs to (null for a run made with identity off).
 */
public record StoredRun(
    String id,
    String responder,
    RunStatus status,
    long lastEventId,
    Instant createdAt,
    Instant completedAt,
    JsonObject json,
    String owner) {}
