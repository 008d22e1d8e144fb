package dev.runstream.runs.entity;

/**
 * The server holds as much as its limits allow (runs held, or bytes held): the request is refused
 * with nothing changed, and may be made again in {@code retryAfterSeconds} (503 with Retry-After).
 */
public class ServerBusyException extends RuntimeException {

  private final long retryAfterSeconds;

  public ServerBusyException(String detail, long retryAfterSeconds) {
    super(detail);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
