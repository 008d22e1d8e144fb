package dev.runstream.streaming.boundary;

import dev.runstream.streaming.entity.ClientConnection;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * What a stream may know of its client's connection, taken on the request's thread (the writer
 * threads cannot look up the request's response).
 *
 * <p>Whether a write would complete without waiting on the client: Payara's servlet stream (over
 * Grizzly) answers {@code isReady()} without a write listener, and Grizzly lets the one write that
 * follows a yes through without blocking even when the connection's queue then runs over; so a
 * writer that asks before every frame never waits on a client that does not read. WildFly's
 * RESTEasy writes asynchronously already (its stage completes when the client took the frame), and
 * Undertow's {@code isReady()} belongs to RESTEasy's own non-blocking writes: there, always yes.
 *
 * <p>How many frames one write may carry: Jersey writes every event through the writer found for
 * {@code text/event-stream}, which is {@link FramedEvents}, so one event may carry every frame a
 * client is behind in ({@link dev.runstream.streaming.entity.SseFrames}). RESTEasy frames each
 * event with its own writer: one frame per write.
 */
final class ClientConnections {

  static final int FRAMES_PER_WRITE = 256;

  private static final BooleanSupplier ALWAYS = () -> true;

  private ClientConnections() {}

  static ClientConnection of(HttpServletResponse response, SseEventSink sink) {
    int frames =
        sink.getClass().getName().startsWith("org.glassfish.jersey.") ? FRAMES_PER_WRITE : 1;
    return new ClientConnection(writable(response), frames);
  }

  private static BooleanSupplier writable(HttpServletResponse response) {
    if (response == null) {
      return ALWAYS;
    }
    try {
      ServletOutputStream out = response.getOutputStream();
      return out.getClass().getName().startsWith("org.apache.catalina.") ? out::isReady : ALWAYS;
    } catch (IOException | IllegalStateException unavailable) {
      return ALWAYS;
    }
  }
}
