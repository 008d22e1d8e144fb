package dev.runstream.runs.entity;

/** The store cannot be reached now: the call is refused (503) and may be retried later. */
public class StoreUnavailableException extends RuntimeException {

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
