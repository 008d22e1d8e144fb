package dev.runstream.input.boundary;

import dev.runstream.FilterOrder;
import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.Problem;
import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebListener;
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
 *
 * <p>It registers itself, as a listener, behind every declared filter: the filters that give every
 * answer its headers (the security headers, CORS) have done so when it refuses a request. (The
 * order of filters declared by annotation is not defined; that of one added behind them is.)
 */
@WebListener
public class HeaderLimitFilter extends HttpFilter implements ServletContextListener {

  @Inject
  @ConfigProperty(name = "chat.limits.header-bytes", defaultValue = "8192")
  int limit;

  @Override
  public void contextInitialized(ServletContextEvent started) {
    FilterOrder.behind( // and the dispatch once BodyReadFilter has read the body
        started.getServletContext(),
        HeaderLimitFilter.class,
        DispatcherType.REQUEST,
        DispatcherType.ASYNC);
  }

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
