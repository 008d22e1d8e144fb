package dev.runstream.streaming.boundary;

import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.Problem;
import dev.runstream.streaming.entity.StreamLimitException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 503 with {@code Retry-After}: too many open streams, for the run or for the server. */
@Provider
@ApplicationScoped
public class StreamLimitMapper implements ExceptionMapper<StreamLimitException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(StreamLimitException e) {
    String whose = e.scope() == StreamLimitException.Scope.RUN ? "This run" : "The server";
    String detail = whose + " has the most open streams allowed (" + e.limit() + ").";
    Problem problem = Problem.of("too-many-streams", "Too many open streams", 503, detail);
    return Problems.builder(problem, uri)
        .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds())
        .build();
  }
}
