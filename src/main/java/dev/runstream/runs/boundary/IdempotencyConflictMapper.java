package dev.runstream.runs.boundary;

import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.Problem;
import dev.runstream.runs.entity.IdempotencyConflictException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 422: the idempotency key was used before with another body. */
@Provider
@ApplicationScoped
public class IdempotencyConflictMapper implements ExceptionMapper<IdempotencyConflictException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(IdempotencyConflictException e) {
    return Problems.response(
        Problem.of(
            "idempotency-key-reused",
            "Idempotency key reused",
            422,
            "This Idempotency-Key was used with another request body; use a new key for a new"
                + " request."),
        uri);
  }
}
