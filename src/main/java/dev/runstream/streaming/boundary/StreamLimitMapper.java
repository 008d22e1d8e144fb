package dev.runstream.streaming.boundary;

import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.Problem;
import dev.runstream.runs.boundary.TooManyRunsMapper;
import dev.runstream.streaming.entity.StreamLimitException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Too many open streams, with {@code Retry-After}: 503 for the run or the server, 429 (the per-user
 * problem, {@link TooManyRunsMapper#rateLimited}) for the caller's own.
 *
 * <p>A browser's {@code EventSource} gives up for good on any answer but a {@code 200} stream, so a
 * browser that asks for {@code text/event-stream} (it sends {@code Sec-Fetch-Mode}, which no page
 * can leave out) gets a {@code 200} stream that ends at once: a {@code retry:} hint of the wait
 * (spread over up to twice it, so that refused clients do not come back together), the problem as a
 * comment, and no event. The browser reconnects after the wait by itself, with its {@code
 * Last-Event-ID}, and resumes where it was once there is room.
 */
@Provider
@ApplicationScoped
public class StreamLimitMapper implements ExceptionMapper<StreamLimitException> {

  static final String FETCH_MODE = "Sec-Fetch-Mode";

  @Context UriInfo uri;

  @Context HttpHeaders headers;

  @Override
  public Response toResponse(StreamLimitException e) {
    String detail =
        e.scope() == StreamLimitException.Scope.SUBJECT
            ? "You have the most open event streams allowed per user ("
                + e.limit()
                + "); close one of them first."
            : (e.scope() == StreamLimitException.Scope.RUN ? "This run" : "The server")
                + " has the most open streams allowed ("
                + e.limit()
                + ").";
    if (fromABrowsersEventSource()) {
      return retryLater(detail, e.retryAfterSeconds());
    }
    if (e.scope() == StreamLimitException.Scope.SUBJECT) {
      return TooManyRunsMapper.rateLimited(detail, e.retryAfterSeconds(), uri);
    }
    Problem problem = Problem.of("too-many-streams", "Too many open streams", 503, detail);
    return Problems.builder(problem, uri)
        .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds())
        .build();
  }

  private boolean fromABrowsersEventSource() {
    return headers.getHeaderString(FETCH_MODE) != null
        && headers.getAcceptableMediaTypes().stream()
            .anyMatch(
                type ->
                    type.isCompatible(MediaType.SERVER_SENT_EVENTS_TYPE) && !type.isWildcardType());
  }

  /** The stream a browser reconnects from: {@code retry:} and the reason, then its end. */
  static Response retryLater(String detail, long retryAfterSeconds) {
    long wait = Math.max(1, retryAfterSeconds) * 1000;
    long retry = wait + ThreadLocalRandom.current().nextLong(wait + 1);
    CacheControl noStore = new CacheControl();
    noStore.setNoStore(true);
    return Response.ok("retry: " + retry + "\n: " + detail + " Retrying.\n\n")
        .type(MediaType.SERVER_SENT_EVENTS_TYPE)
        .cacheControl(noStore)
        .build();
  }
}
