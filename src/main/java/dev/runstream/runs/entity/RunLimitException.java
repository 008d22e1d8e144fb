package dev.runstream.runs.entity;

/**
 * An event did not fit: the run reached one of its limits ({@link #code()}: {@value
 * Run#EVENT_LIMIT_EXCEEDED}, {@value Run#BYTE_LIMIT_EXCEEDED}, or {@value Run#SERVER_BUSY} when the
 * runs held together had no bytes left for it), the event was not appended, and the run failed with
 * that code.
 */
public class RunLimitException extends RunEndedException {

  private final String code;
  private final String reason;

  public RunLimitException(String runId, String code, String reason) {
    super(runId, RunStatus.FAILED, "run " + runId + " failed: " + code);
    this.code = code;
    this.reason = reason;
  }

  /** The error code the run failed with. */
  public String code() {
    return code;
  }

  /** Why, as the run's error message says it. */
  public String reason() {
    return reason;
  }
}
