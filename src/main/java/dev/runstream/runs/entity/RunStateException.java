package dev.runstream.runs.entity;

/** The call does not fit the run's current state (an HTTP 409 for clients). */
public class RunStateException extends RuntimeException {

  public RunStateException(String message) {
    super(message);
  }
}
