package dev.runstream.runs.boundary;

import dev.runstream.runs.entity.Caller;
import jakarta.ws.rs.core.SecurityContext;

/**
 * The caller of a request, as the identity feature's filter put it into the request's {@link
 * SecurityContext} (with identity off: {@link Caller#ANYONE}). A request without one did not pass
 * that filter, and is refused (an error, never an open door).
 */
public final class Callers {

  private Callers() {}

  public static Caller of(SecurityContext security) {
    if (security != null && security.getUserPrincipal() instanceof Caller caller) {
      return caller;
    }
    throw new IllegalStateException("the request has no caller: the identity filter did not run");
  }
}
