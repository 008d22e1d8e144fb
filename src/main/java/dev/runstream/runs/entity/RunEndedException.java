package dev.runstream.runs.entity;

/** The run has reached its terminal event: nothing more can be appended or cancelled. */
public class RunEndedException extends RunStateException {

  private final transient RunStatus status;

  public RunEndedException(String runId, RunStatus status) {
    this(runId, status, "run " + runId + " has already ended (" + status.wire() + ")");
  }

  protected RunEndedException(String runId, RunStatus status, String message) {
    super(runId, message);
    this.status = status;
  }

  public RunStatus status() {
    return status;
  }
}
