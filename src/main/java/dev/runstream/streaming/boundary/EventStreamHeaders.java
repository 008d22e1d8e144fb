package dev.runstream.streaming.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/** Event streams must not be cached or buffered by proxies (nginx honours X-Accel-Buffering). */
@Provider
@ApplicationScoped
public class EventStreamHeaders implements ContainerResponseFilter {

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    MediaType type = response.getMediaType();
    if (type != null && type.isCompatible(MediaType.SERVER_SENT_EVENTS_TYPE)) {
      response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-cache");
      response.getHeaders().putSingle("X-Accel-Buffering", "no");
    }
  }
}
