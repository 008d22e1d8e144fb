package dev.runstream.runs.entity;

/**
 * The call does not fit the run's current state (an HTTP 409 for clients). The message is for logs;
 * clients get a sentence of the mapper's own, built from the fields of each kind.
 */
public class RunStateException extends RuntimeException {

  private final String runId;

  public RunStateException(String runId, String message) {
    super(message);
    this.runId = runId;
  }

  public String runId() {
    return runId;
  }
}
