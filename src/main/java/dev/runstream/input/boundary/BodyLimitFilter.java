package dev.runstream.input.boundary;

import dev.runstream.input.control.JsonBodies;
import dev.runstream.input.entity.PayloadTooLargeException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses a body whose declared length is over the limit before reading any of it; bodies without a
 * length are cut off while they are read ({@link JsonBodies}).
 */
@Provider
@PreMatching
@ApplicationScoped
public class BodyLimitFilter implements ContainerRequestFilter {

  @Inject JsonBodies bodies;

  @Override
  public void filter(ContainerRequestContext request) {
    String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
    if (length != null && isOver(length.strip(), bodies.limit())) {
      throw new PayloadTooLargeException(bodies.limit());
    }
  }

  private static boolean isOver(String length, long limit) {
    try {
      return Long.parseLong(length) > limit;
    } catch (NumberFormatException e) {
      return length.length() > 18; // a number too long for a long is over any limit
    }
  }
}
