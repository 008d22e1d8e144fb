package dev.runstream.input.entity;

/** The request body is larger than the configured limit. */
public class PayloadTooLargeException extends RuntimeException {

  private final long limit;

  public PayloadTooLargeException(long limit) {
    super("request body is larger than " + limit + " bytes");
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }
}
