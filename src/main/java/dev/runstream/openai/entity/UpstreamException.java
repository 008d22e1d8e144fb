package dev.runstream.openai.entity;

import dev.runstream.runs.entity.RunError;

/** The upstream's answer cannot be used; carries the error the run fails with. */
public class UpstreamException extends RuntimeException {

  private final transient RunError error;

  public UpstreamException(UpstreamFailure failure, String message) {
    super(failure.code() + ": " + message, null, false, false);
    this.error = failure.because(message);
  }

  public RunError error() {
    return error;
  }
}
