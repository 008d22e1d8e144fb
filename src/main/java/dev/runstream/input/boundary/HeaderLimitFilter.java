package dev.runstream.input.boundary;

import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.Problem;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * 431 for a request whose header fields together are larger than {@code chat.limits.header-bytes},
 * on every path. The container refuses far larger ones by itself (Payara with an empty 400 past its
 * header buffer, which the run command sets to 64 KiB; WildFly past 1 MiB).
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class HeaderLimitFilter extends HttpFilter {

  @Inject
  @ConfigProperty(name = "chat.limits.header-bytes", defaultValue = "8192")
  int limit;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (headerBytes(request) <= limit) {
      chain.doFilter(request, response);
      return;
    }
    Problems.write(
        response,
        Problem.of(
            "headers-too-large",
            "Request header fields too large",
            431,
            "The request's header fields are larger than " + limit + " bytes."),
        request.getRequestURI());
  }

  /** The header fields as they came: {@code name: value} and CRLF each. */
  static long headerBytes(HttpServletRequest request) {
    long bytes = 0;
    for (String name : Collections.list(request.getHeaderNames())) {
      for (String value : Collections.list(request.getHeaders(name))) {
        bytes += name.length() + 2 + value.length() + 2;
      }
    }
    return bytes;
  }
}
