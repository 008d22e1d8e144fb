package dev.runstream.input.boundary;

import dev.runstream.input.entity.InvalidInputException;
import dev.runstream.input.entity.Violation;
import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.InvalidField;
import dev.runstream.problems.entity.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/** 400: every invalid field of the request, each with a JSON Pointer (or parameter name). */
@Provider
@ApplicationScoped
public class InvalidInputMapper implements ExceptionMapper<InvalidInputException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(InvalidInputException e) {
    List<Violation> violations = e.violations();
    String detail =
        violations.size() == 1
            ? describe(violations.get(0))
            : violations.size() + " problems with the request: see errors.";
    return Problems.response(
        Problem.of("invalid-request", "Invalid request", 400, detail)
            .with(violations.stream().map(v -> new InvalidField(v.pointer(), v.detail())).toList()),
        uri);
  }

  private static String describe(Violation violation) {
    return violation.pointer().isEmpty()
        ? violation.detail()
        : violation.pointer() + ": " + violation.detail();
  }
}
