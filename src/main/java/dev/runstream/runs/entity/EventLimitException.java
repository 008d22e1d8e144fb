package dev.runstream.runs.entity;

/** The run reached its event limit: it failed, and the event that did not fit was not appended. */
public class EventLimitException extends RunEndedException {

  public EventLimitException(String runId, int limit) {
    super(
        RunStatus.FAILED,
        "run "
            + runId
            + " reached its limit of "
            + limit
            + " events and failed (event_limit_exceeded); the event was not appended");
  }
}
