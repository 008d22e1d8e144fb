package dev.runstream.cors.boundary;

import dev.runstream.cors.control.CrossOrigins;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * CORS for the API, for the allowed origins only ({@link CrossOrigins}); any other origin gets no
 * {@code Access-Control-*} header at all, and with none allowed nothing here adds a header. A
 * preflight of an allowed origin is answered here, before the API, which would ask it for a token
 * that preflights never carry; any other {@code OPTIONS} goes on to the API as before. No {@code
 * Access-Control-Allow-Credentials}: another site's page calls with bearer tokens, which it sends
 * itself; the session cookie is for this server's own page.
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class CorsFilter extends HttpFilter {

  static final String METHODS = "GET, POST, DELETE";
  static final String REQUEST_HEADERS =
      "Authorization, Content-Type, Idempotency-Key, Last-Event-ID";

  /** What a client reads of the API's answers beyond the headers every page may read. */
  static final String EXPOSED_HEADERS =
      "Location, Retry-After, Idempotent-Replayed, WWW-Authenticate";

  /** How long a browser may keep a preflight's answer, in seconds. */
  static final String MAX_AGE = "600";

  @Inject CrossOrigins origins;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!origins.enabled()) {
      chain.doFilter(request, response);
      return;
    }
    response.addHeader("Vary", "Origin"); // answers differ by origin: caches must not mix them
    String origin = request.getHeader("Origin");
    if (!origins.allows(origin)) {
      chain.doFilter(request, response);
      return;
    }
    response.setHeader("Access-Control-Allow-Origin", origin);
    if (isPreflight(request)) {
      response.setHeader("Access-Control-Allow-Methods", METHODS);
      response.setHeader("Access-Control-Allow-Headers", REQUEST_HEADERS);
      response.setHeader("Access-Control-Max-Age", MAX_AGE);
      response.setStatus(HttpServletResponse.SC_NO_CONTENT);
      return;
    }
    response.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    chain.doFilter(request, response);
  }

  private static boolean isPreflight(HttpServletRequest request) {
    return "OPTIONS".equals(request.getMethod())
        && request.getHeader("Access-Control-Request-Method") != null;
  }
}
