package dev.runstream.runs.boundary;

import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.Problem;
import dev.runstream.runs.entity.NotExternalException;
import dev.runstream.runs.entity.RunActiveException;
import dev.runstream.runs.entity.RunEndedException;
import dev.runstream.runs.entity.RunLimitException;
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
    return Problems.response(
        Problem.of("run-state-conflict", "Conflict with the run's state", 409, detail(e)), uri);
  }

  static String detail(RunStateException e) {
    if (e instanceof RunLimitException limit) {
      return limit.reason() + " It failed (" + limit.code() + "); this event was not appended.";
    }
    if (e instanceof RunEndedException ended) {
      return "The run has already ended (" + ended.status().wire() + ").";
    }
    if (e instanceof RunActiveException) {
      return "The run has not ended yet: cancel it first.";
    }
    if (e instanceof NotExternalException notExternal) {
      return "Events can be posted only to runs of the external responder; this run's responder is "
          + notExternal.responder()
          + ".";
    }
    return "The run's state does not allow this call.";
  }
}
