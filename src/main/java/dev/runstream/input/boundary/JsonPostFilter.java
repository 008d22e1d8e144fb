package dev.runstream.input.boundary;

import dev.runstream.FilterOrder;
import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.Problem;
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
import java.util.Locale;
import java.util.Set;

/**
 * 415 for a {@code POST} without a JSON {@code Content-Type}, on every path, even one that takes no
 * body (cancel, sign-out). A page of another site can make a browser send a POST with no content
 * type, or a form's or {@code text/plain}, without asking (a CORS "simple" request, sent even with
 * {@code mode: 'no-cors'}); it cannot send {@code application/json} without a preflight that this
 * server refuses (see {@code CorsFilter}). So no state changes from another origin, whatever the
 * cookies or the network. {@code PUT}, {@code PATCH} and {@code DELETE} are never simple: browsers
 * always ask first.
 *
 * <p>It registers itself, as a listener, behind every declared filter, so the answer carries the
 * security and CORS headers.
 */
@WebListener
public class JsonPostFilter extends HttpFilter implements ServletContextListener {

  /** The content types a browser may send cross-origin without a preflight (Fetch standard). */
  static final Set<String> SIMPLE =
      Set.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain");

  @Override
  public void contextInitialized(ServletContextEvent started) {
    FilterOrder.behind( // and the dispatch once BodyReadFilter has read the body
        started.getServletContext(),
        JsonPostFilter.class,
        DispatcherType.REQUEST,
        DispatcherType.ASYNC);
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!"POST".equals(request.getMethod()) || preflighted(request.getContentType())) {
      chain.doFilter(request, response);
      return;
    }
    Problems.write(
        response,
        Problem.of(
            "json-required",
            "JSON required",
            415,
            "A POST must carry Content-Type: application/json, even with no body."),
        request.getRequestURI());
  }

  /**
   * Whether a browser sends this content type cross-origin only after a preflight: any but the
   * three a form or a "simple" request may carry. (Not JSON alone: the bodies JAX-RS takes say
   * which types they take, and answer 415 themselves.)
   */
  static boolean preflighted(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .trim()
            .toLowerCase(Locale.ROOT);
    return !type.isEmpty() && !SIMPLE.contains(type);
  }
}
