package dev.runstream.problems.boundary;

import dev.runstream.problems.entity.Problem;
import dev.runstream.runs.entity.RunStateException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 409: the call does not fit the run's state (it has ended, or has not, or is not external). */
@Provider
@ApplicationScoped
public class RunStateMapper implements ExceptionMapper<RunStateException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(RunStateException e) {
    String detail =
        e.getMessage().substring(0, 1).toUpperCase() + e.getMessage().substring(1) + ".";
    return Problems.response(
        Problem.of("run-state-conflict", "Conflict with the run's state", 409, detail), uri);
  }
}
