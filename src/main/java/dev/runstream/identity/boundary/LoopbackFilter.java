package dev.runstream.identity.boundary;

import dev.runstream.identity.control.Identity;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Without identity, the API answers on loopback only ({@link
 * dev.runstream.identity.entity.Exposure}): a request that reached the server on any other of its
 * addresses gets 403 {@code urn:runstream:problem:loopback-only}, whatever the server listens on.
 * The check is on the connection itself (the servlet container's local address), because a WAR
 * cannot see portably where its server listens; it holds for any listener configuration, on both
 * servers.
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class LoopbackFilter extends HttpFilter {

  private static final Logger LOG = Logger.getLogger(LoopbackFilter.class.getName());
  private final AtomicBoolean told = new AtomicBoolean();

  @Inject Identity identity;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String local = request.getLocalAddr();
    if (identity.serves(local)) {
      chain.doFilter(request, response);
      return;
    }
    if (told.compareAndSet(false, true)) {
      LOG.warning(
          "identity is off: a request that reached this server on "
              + local
              + " (not loopback) was refused; configure identity, or set chat.security.open=true"
              + " to serve every network (this is said once)");
    }
    Problems.write(
        response,
        Problem.of(
            "loopback-only",
            "Loopback only",
            403,
            "This server has no identity configured, so it serves this machine only (loopback)."),
        request.getRequestURI());
  }
}
