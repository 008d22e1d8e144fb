package dev.runstream.runs.entity;

/** No run has this id (it never existed, was deleted, or has expired). */
public class RunNotFoundException extends RuntimeException {

  public RunNotFoundException(String runId) {
    super("no run " + runId);
  }
}
