package dev.runstream.streaming.entity;

/**
 * A stream limit is reached: the client should try again later (Retry-After): 503 for the run's or
 * the server's (its capacity), 429 for a user's own (its quota).
 */
public class StreamLimitException extends RuntimeException {

  /** Whose streams are at their limit. */
  public enum Scope {
    RUN,
    SUBJECT,
    SERVER
  }

  private final Scope scope;
  private final int limit;
  private final long retryAfterSeconds;

  public StreamLimitException(Scope scope, int limit, long retryAfterSeconds) {
    super(scope + " stream limit " + limit + " reached");
    this.scope = scope;
    this.limit = limit;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Scope scope() {
    return scope;
  }

  public int limit() {
    return limit;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
