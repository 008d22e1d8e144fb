package dev.runstream.streaming.entity;

/** A stream limit is reached: the client should try again later (503 with Retry-After). */
public class StreamLimitException extends RuntimeException {

  /** Whose streams are at their limit. */
  public enum Scope {
    RUN,
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
