package dev.runstream.streaming.boundary;

import dev.runstream.streaming.entity.NothingToStreamException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 204: an ended run has nothing after the client's last event, so browsers stop reconnecting. */
@Provider
@ApplicationScoped
public class NothingToStreamMapper implements ExceptionMapper<NothingToStreamException> {

  @Override
  public Response toResponse(NothingToStreamException e) {
    return Response.noContent().build();
  }
}
