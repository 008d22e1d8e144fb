package dev.runstream.runs.boundary;

import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.Problem;
import dev.runstream.runs.entity.NotAdminException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 403: a call for administrators only. */
@Provider
@ApplicationScoped
public class NotAdminMapper implements ExceptionMapper<NotAdminException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(NotAdminException e) {
    return Problems.response(
        Problem.of(
            "forbidden",
            "Forbidden",
            403,
            "Only members of the administrators' group may make this call."),
        uri);
  }
}
