package dev.runstream.problems.boundary;

import dev.runstream.problems.entity.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Map;

/**
 * The HTTP errors JAX-RS itself raises (no such path, wrong method, media types) as problems,
 * keeping headers such as {@code Allow}.
 */
@Provider
@ApplicationScoped
public class HttpErrorMapper implements ExceptionMapper<WebApplicationException> {

  private static final List<String> BODY_HEADERS =
      List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LENGTH);

  @Context UriInfo uri;

  @Override
  public Response toResponse(WebApplicationException e) {
    Response original = e.getResponse();
    int status = original.getStatus();
    if (status < 400) {
      return original;
    }
    Response.StatusType type = Response.Status.fromStatusCode(status);
    String title = type == null ? "HTTP " + status : type.getReasonPhrase();
    Problem problem =
        new Problem("about:blank", title, status, detail(status, original), null, List.of());
    Response.ResponseBuilder answer = Problems.builder(problem, uri);
    for (Map.Entry<String, List<Object>> header : original.getHeaders().entrySet()) {
      if (BODY_HEADERS.stream().noneMatch(h -> h.equalsIgnoreCase(header.getKey()))) {
        header.getValue().forEach(value -> answer.header(header.getKey(), value));
      }
    }
    return answer.build();
  }

  private static String detail(int status, Response original) {
    if (status == 405) {
      return "This address does not take this method; it takes "
          + String.join(", ", original.getAllowedMethods())
          + ".";
    }
    return HttpErrors.detail(status);
  }
}
