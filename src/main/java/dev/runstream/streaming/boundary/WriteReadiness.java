package dev.runstream.streaming.boundary;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * Whether a write to a client would complete without waiting on it. Payara's servlet stream (over
 * Grizzly) answers {@code isReady()} without a write listener, and Grizzly lets the one write that
 * follows a yes through without blocking even when the connection's queue then runs over; so a
 * writer that asks before every frame never waits on a client that does not read. WildFly's
 * RESTEasy writes asynchronously already (its stage completes when the client took the frame), and
 * Undertow's {@code isReady()} belongs to RESTEasy's own non-blocking writes: there, always yes.
 */
final class WriteReadiness {

  private static final BooleanSupplier ALWAYS = () -> true;

  private WriteReadiness() {}

  static BooleanSupplier of(HttpServletResponse response) {
    if (response == null) {
      return ALWAYS;
    }
    try {
      ServletOutputStream out = response.getOutputStream();
      // taken on the request's thread: the writer threads cannot look up the request's response
      return out.getClass().getName().startsWith("org.apache.catalina.") ? out::isReady : ALWAYS;
    } catch (IOException | IllegalStateException unavailable) {
      return ALWAYS;
    }
  }
}
