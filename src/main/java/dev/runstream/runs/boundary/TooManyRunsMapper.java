package dev.runstream.runs.boundary;

import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.Problem;
import dev.runstream.runs.entity.TooManyRunsException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 429 with {@code Retry-After}: the caller created the most runs allowed in a minute. */
@Provider
@ApplicationScoped
public class TooManyRunsMapper implements ExceptionMapper<TooManyRunsException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(TooManyRunsException e) {
    String detail =
        "You have created the most runs allowed in a minute ("
            + e.limit()
            + "); the next one is accepted in "
            + e.retryAfterSeconds()
            + (e.retryAfterSeconds() == 1 ? " second." : " seconds.");
    return rateLimited(detail, e.retryAfterSeconds(), uri);
  }

  /**
   * The answer of every per-user limit (runs per minute, open streams): 429 {@code
   * urn:runstream:problem:rate-limited}, the caller's own quota (a 503 is the server's capacity).
   */
  public static Response rateLimited(String detail, long retryAfterSeconds, UriInfo uri) {
    return Problems.builder(Problem.of("rate-limited", "Too many requests", 429, detail), uri)
        .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
        .build();
  }
}
