package dev.runstream.runs.entity;

/** The run has not ended yet, so it cannot be deleted. */
public class RunActiveException extends RunStateException {

  public RunActiveException(String runId) {
    super(runId, "run " + runId + " has not ended yet");
  }
}
