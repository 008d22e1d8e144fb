package dev.runstream.runs.boundary;

import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.Problem;
import dev.runstream.runs.entity.RunNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 404: no run has this id. */
@Provider
@ApplicationScoped
public class RunNotFoundMapper implements ExceptionMapper<RunNotFoundException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(RunNotFoundException e) {
    return Problems.response(
        Problem.of(
            "run-not-found",
            "Run not found",
            404,
            "No run has this id: it never existed, was deleted, or has expired."),
        uri);
  }
}
