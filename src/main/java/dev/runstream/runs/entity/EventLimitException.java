package dev.runstream.runs.entity;

/** The run reached its event limit: it failed, and the event that did not fit was not appended. */
public class EventLimitException extends RunEndedException {

  private final int limit;

  public EventLimitException(String runId, int limit) {
    super(runId, RunStatus.FAILED, "run " + runId + " reached its limit of " + limit + " events");
    this.limit = limit;
  }

  public int limit() {
    return limit;
  }
}
