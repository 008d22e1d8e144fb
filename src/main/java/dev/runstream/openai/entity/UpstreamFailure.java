package dev.runstream.openai.entity;

import dev.runstream.runs.entity.RunError;

/**
 * The ways a call to the model server fails, each with the stable {@code error.code} of its run.
 */
public enum UpstreamFailure {
  /** 401 or 403: the API key is missing, wrong or not allowed. */
  UNAUTHORIZED("upstream_unauthorized"),
  /** 429. */
  RATE_LIMITED("upstream_rate_limited"),
  /** Any other answer that is not 2xx, or an error the server reports inside its stream. */
  ERROR("upstream_error"),
  /** No connection in time, or the server fell silent for longer than the read timeout. */
  TIMEOUT("upstream_timeout"),
  /** Connection refused, unknown host, no route, TLS handshake failed. */
  UNREACHABLE("upstream_unreachable"),
  /** Not an event stream, a chunk that is not what the API promises, or a stream cut short. */
  BAD_RESPONSE("upstream_bad_response");

  private final String code;

  UpstreamFailure(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** The run's error; {@code message} is written here, never copied from the upstream. */
  public RunError because(String message) {
    return new RunError(code, message);
  }
}
