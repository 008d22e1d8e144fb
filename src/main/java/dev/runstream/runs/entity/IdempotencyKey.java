package dev.runstream.runs.entity;

/**
 * A client's {@code Idempotency-Key} and a fingerprint of its request body: a retry with the same
 * key gets the original answer; the same key with another body is refused.
 */
public record IdempotencyKey(String key, String fingerprint) {}
