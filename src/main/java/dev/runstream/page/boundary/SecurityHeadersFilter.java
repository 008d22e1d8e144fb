package dev.runstream.page.boundary;

import dev.runstream.FilterOrder;
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

/**
 * The security headers of every answer: the page, its static files, the API's JSON, event streams
 * and problems, and the container's own errors. The policy is the page's: everything from this
 * server (no CDN, no web fonts, no inline script or style), no site framing it ({@code
 * frame-ancestors}, which only a header can carry), no plugin, no {@code <base>}, no form posts.
 * {@code Referrer-Policy: same-origin}: the page's own requests keep their {@code Referer} and an
 * honest {@code Origin} (with {@code no-referrer}, a browser may send {@code Origin: null} on a
 * same-origin post), and no other site is ever told this server's addresses.
 *
 * <p>It registers itself, as a listener, ahead of every declared filter, so that an answer another
 * filter makes itself (a CORS preflight's, the 431 of {@code HeaderLimitFilter}) carries the
 * headers too: the order of filters declared by annotation is not defined, that of one added before
 * them is.
 */
@WebListener
public class SecurityHeadersFilter extends HttpFilter implements ServletContextListener {

  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
          + " form-action 'none'; frame-ancestors 'none'";

  public static final String REFERRER_POLICY = "same-origin";

  @Override
  public void contextInitialized(ServletContextEvent started) {
    FilterOrder.ahead(
        started.getServletContext(),
        SecurityHeadersFilter.class,
        DispatcherType.REQUEST,
        DispatcherType.ERROR);
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", REFERRER_POLICY);
    chain.doFilter(request, response);
  }
}
