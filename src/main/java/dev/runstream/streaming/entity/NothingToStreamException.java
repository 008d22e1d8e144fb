package dev.runstream.streaming.entity;

/** The run has ended and the client already has every event: answered with 204 No Content. */
public class NothingToStreamException extends RuntimeException {

  public NothingToStreamException(String runId) {
    super("run " + runId + " has ended and has no events after the client's last one");
  }
}
