package dev.runstream.runs.boundary;

import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.Problem;
import dev.runstream.runs.entity.ServerBusyException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 503 {@code urn:runstream:problem:server-busy} with {@code Retry-After}: the server holds as many
 * runs, or bytes of runs, as its limits allow; nothing was changed.
 */
@Provider
@ApplicationScoped
public class ServerBusyMapper implements ExceptionMapper<ServerBusyException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(ServerBusyException e) {
    Problem problem =
        Problem.of(
            "server-busy",
            "Server busy",
            503,
            e.getMessage()
                + " Retry later; a request retried with the same Idempotency-Key is never applied"
                + " twice.");
    return Problems.builder(problem, uri)
        .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds())
        .build();
  }
}
