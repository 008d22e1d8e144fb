package dev.runstream.streaming.boundary;

import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.Problem;
import dev.runstream.runs.boundary.TooManyRunsMapper;
import dev.runstream.streaming.entity.StreamLimitException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Too many open streams, with {@code Retry-After}: 503 for the run or the server, 429 (the per-user
 * problem, {@link TooManyRunsMapper#rateLimited}) for the caller's own.
 */
@Provider
@ApplicationScoped
public class StreamLimitMapper implements ExceptionMapper<StreamLimitException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(StreamLimitException e) {
    if (e.scope() == StreamLimitException.Scope.SUBJECT) {
      return TooManyRunsMapper.rateLimited(
          "You have the most open event streams allowed per user ("
              + e.limit()
              + "); close one of them first.",
          e.retryAfterSeconds(),
          uri);
    }
    String whose = e.scope() == StreamLimitException.Scope.RUN ? "This run" : "The server";
    String detail = whose + " has the most open streams allowed (" + e.limit() + ").";
    Problem problem = Problem.of("too-many-streams", "Too many open streams", 503, detail);
    return Problems.builder(problem, uri)
        .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds())
        .build();
  }
}
