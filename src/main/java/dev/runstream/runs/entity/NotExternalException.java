package dev.runstream.runs.entity;

/** Events can be posted only to runs whose responder is {@code external}. */
public class NotExternalException extends RunStateException {

  private final String responder;

  public NotExternalException(String runId, String responder) {
    super(runId, "run " + runId + " is produced by the " + responder + " responder");
    this.responder = responder;
  }

  public String responder() {
    return responder;
  }
}
