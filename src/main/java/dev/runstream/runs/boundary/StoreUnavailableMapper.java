package dev.runstream.runs.boundary;

import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.Problem;
import dev.runstream.runs.entity.StoreUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/** 503 with {@code Retry-After}: the store cannot be reached, or did not commit in time. */
@Provider
@ApplicationScoped
public class StoreUnavailableMapper implements ExceptionMapper<StoreUnavailableException> {

  static final int RETRY_AFTER_SECONDS = 2;

  private static final Logger LOG = Logger.getLogger(StoreUnavailableMapper.class.getName());

  @Context UriInfo uri;

  @Override
  public Response toResponse(StoreUnavailableException e) {
    LOG.log(Level.FINE, "a write was refused: the store is unavailable", e);
    Problem problem =
        Problem.of(
            "store-unavailable",
            "Storage unavailable",
            503,
            "The server cannot reach its store now. Retry later; a write retried with the same"
                + " Idempotency-Key is never applied twice.");
    return Problems.builder(problem, uri)
        .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
        .build();
  }
}
