package dev.runstream.problems.boundary;

import dev.runstream.problems.entity.Problem;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes problem+json answers, from JAX-RS (the mappers) or from a servlet (a filter, the error
 * page); the problem's {@code instance} is the request's path.
 */
public final class Problems {

  private Problems() {}

  public static Response response(Problem problem, UriInfo uri) {
    return builder(problem, uri).build();
  }

  public static Response.ResponseBuilder builder(Problem problem, UriInfo uri) {
    Problem located = uri == null ? problem : problem.at(uri.getRequestUri().getRawPath());
    return Response.status(problem.status())
        .type(Problem.MEDIA_TYPE)
        .entity(located.toJson().toString());
  }

  /** Answers a request outside JAX-RS with {@code problem}, at {@code path}. */
  public static void write(HttpServletResponse response, Problem problem, String path)
      throws IOException {
    byte[] body = problem.at(path).toJson().toString().getBytes(StandardCharsets.UTF_8);
    response.setStatus(problem.status());
    response.setContentType(Problem.MEDIA_TYPE); // JSON is UTF-8, and takes no charset parameter
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
