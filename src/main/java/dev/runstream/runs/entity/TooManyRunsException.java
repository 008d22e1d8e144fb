package dev.runstream.runs.entity;

/**
 * A user created the most runs allowed in a minute; the next is accepted in {@code
 * retryAfterSeconds} (429 with Retry-After).
 */
public class TooManyRunsException extends RuntimeException {

  private final int limit;
  private final long retryAfterSeconds;

  public TooManyRunsException(int limit, long retryAfterSeconds) {
    super("runs per minute limit " + limit + " reached");
    this.limit = limit;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int limit() {
    return limit;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
