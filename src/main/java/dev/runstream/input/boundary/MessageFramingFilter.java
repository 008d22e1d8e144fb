package dev.runstream.input.boundary;

import dev.runstream.FilterOrder;
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
 * Closes the connection after answering a request whose body comes in chunks ({@code
 * Transfer-Encoding}). A request with both {@code Content-Length} and {@code Transfer-Encoding} is
 * a request-smuggling ingredient: a proxy in front may take the body by one and the server by the
 * other, and read what follows as a request of someone else's. WildFly's Undertow refuses such a
 * request by itself (an empty 400, before the application sees it); Payara's Grizzly drops the
 * {@code Content-Length} and reads the chunks, one of the two ways RFC 9112 (section 6.3) allows,
 * and then the server must close the connection: so the connection of every chunked request is
 * closed after its answer (the application cannot tell whether a {@code Content-Length} came too),
 * and whatever follows the chunks is never read.
 *
 * <p>It registers itself, as a listener, ahead of every declared filter: a filter that answers by
 * itself (a 415, a 431, a CORS preflight, the loopback check) must not keep the connection open.
 */
@WebListener
public class MessageFramingFilter extends HttpFilter implements ServletContextListener {

  @Override
  public void contextInitialized(ServletContextEvent started) {
    FilterOrder.ahead(started.getServletContext(), MessageFramingFilter.class);
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.getHeader("Transfer-Encoding") != null) {
      response.setHeader("Connection", "close");
    }
    chain.doFilter(request, response);
  }
}
