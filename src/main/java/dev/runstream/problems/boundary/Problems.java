package dev.runstream.problems.boundary;

import dev.runstream.problems.entity.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Builds problem+json answers; the problem's {@code instance} is the request's path. */
final class Problems {

  private Problems() {}

  static Response response(Problem problem, UriInfo uri) {
    return builder(problem, uri).build();
  }

  static Response.ResponseBuilder builder(Problem problem, UriInfo uri) {
    Problem located = uri == null ? problem : problem.at(uri.getRequestUri().getRawPath());
    return Response.status(problem.status())
        .type(Problem.MEDIA_TYPE)
        .entity(located.toJson().toString());
  }
}
