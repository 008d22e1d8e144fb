package dev.runstream.runs.entity;

/** Events can be posted only to runs whose responder is {@code external}. */
public class NotExternalException extends RunStateException {

  public NotExternalException(String runId, String responder) {
    super("run " + runId + " is produced by the " + responder + " responder, not externally");
  }
}
