package dev.runstream.input.boundary;

import dev.runstream.input.entity.PayloadTooLargeException;
import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 413: the body is larger than {@code chat.limits.body-bytes}. */
@Provider
@ApplicationScoped
public class PayloadTooLargeMapper implements ExceptionMapper<PayloadTooLargeException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(PayloadTooLargeException e) {
    return Problems.response(tooLarge(e.limit()), uri);
  }

  static Problem tooLarge(long limit) {
    return Problem.of(
        "body-too-large",
        "Request body too large",
        413,
        "The request body is larger than " + limit + " bytes.");
  }
}
