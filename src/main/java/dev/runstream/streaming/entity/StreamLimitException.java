package dev.runstream.streaming.entity;

/** A stream limit is reached: the client should try again later (503 with Retry-After). */
public class StreamLimitException extends RuntimeException {

  private final long retryAfterSeconds;

  public StreamLimitException(String detail, long retryAfterSeconds) {
    super(detail);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
