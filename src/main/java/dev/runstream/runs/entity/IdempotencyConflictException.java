package dev.runstream.runs.entity;

/** The idempotency key was used before with another request body (422). */
public class IdempotencyConflictException extends RuntimeException {

  public IdempotencyConflictException() {
    super("idempotency key reused with another body");
  }
}
