package dev.runstream.identity.boundary;

import dev.runstream.runs.entity.Caller;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** The request's security context: its {@link Caller} as the principal. */
record CallerSecurityContext(Caller caller, boolean secure, String scheme)
    implements SecurityContext {

  @Override
  public Principal getUserPrincipal() {
    return caller;
  }

  /** The one role there is: administrator. */
  @Override
  public boolean isUserInRole(String role) {
    return "admin".equals(role) && caller.admin();
  }

  @Override
  public boolean isSecure() {
    return secure;
  }

  @Override
  public String getAuthenticationScheme() {
    return scheme;
  }
}
