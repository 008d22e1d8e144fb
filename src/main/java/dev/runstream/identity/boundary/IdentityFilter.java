package dev.runstream.identity.boundary;

import dev.runstream.identity.control.Identity;
import dev.runstream.identity.entity.TokenRejectedException;
import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.Problem;
import dev.runstream.runs.control.ProducerTokens;
import dev.runstream.runs.control.RunRegistry;
import dev.runstream.runs.entity.Caller;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Who calls: every API request gets its {@link Caller}. With identity off, {@link Caller#ANYONE}.
 * With it on, the {@code Authorization: Bearer} token: a JWT, verified, is a user (an administrator
 * if it is in the admin group); on {@code POST …/events} only, a run's producer token is that run's
 * producer. Without that header, the chat page's session cookie ({@link SessionCookies}), which
 * authenticates a change only from this server's own origin. No token, or one that does not pass:
 * 401 problem with {@code WWW-Authenticate}; keys that cannot be fetched (a JWK set URL down): 503,
 * so that clients keep their token and retry. The token never goes into a log line or an answer.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
@ApplicationScoped
public class IdentityFilter implements ContainerRequestFilter {

  static final String REALM = "Bearer realm=\"runstream\"";
  private static final Logger LOG = Logger.getLogger(IdentityFilter.class.getName());
  private static final Pattern EVENTS = Pattern.compile("/?chat/runs/[^/]+/events/?");
  private static final Pattern SIGN_IN = Pattern.compile("/?auth(/.*)?");
  private static final String BEARER = "bearer ";

  @Inject Identity identity;

  @Inject RunRegistry runs;

  @Override
  public void filter(ContainerRequestContext request) {
    if (SIGN_IN.matcher(request.getUriInfo().getPath()).matches()) {
      return; // the sign-in's own resource, which reads its cookies itself
    }
    boolean secure = request.getSecurityContext().isSecure();
    if (!identity.enabled()) {
      request.setSecurityContext(new CallerSecurityContext(Caller.ANYONE, secure, null));
      return;
    }
    Optional<String> token = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    boolean byCookie = token.isEmpty();
    if (byCookie) {
      token = SessionCookies.session(request.getCookies());
      if (token.isPresent()
          && changes(request)
          && CrossSite.of(request.getHeaderString(CrossSite.HEADER))) {
        request.abortWith(
            Problems.response(
                Problem.of(
                    "cross-site",
                    "Cross-site request",
                    403,
                    "A change authenticated by the session cookie must come from this server's own"
                        + " page."),
                request.getUriInfo()));
        return;
      }
    }
    if (token.isEmpty()) {
      refuse(
          request,
          REALM,
          "The call needs a bearer token (Authorization: Bearer) or the page's session cookie.");
      return;
    }
    try {
      Caller caller = byCookie ? identity.caller(token.get()) : caller(request, token.get());
      request.setSecurityContext(
          new CallerSecurityContext(caller, secure, byCookie ? "Cookie" : "Bearer"));
    } catch (TokenRejectedException e) {
      if (e.reason() == TokenRejectedException.Reason.KEYS_UNAVAILABLE) {
        LOG.log(Level.WARNING, "the identity provider's keys could not be fetched", e.getCause());
        request.abortWith(
            Problems.builder(
                    Problem.of("identity-unavailable", "Identity unavailable", 503, e.getMessage()),
                    request.getUriInfo())
                .header(HttpHeaders.RETRY_AFTER, "5")
                .build());
        return;
      }
      LOG.log(Level.FINE, "bearer token refused: {0}", e.reason());
      refuse(request, REALM + ", error=\"invalid_token\"", e.reason().detail());
    }
  }

  /** A JWT (it has dots) is verified; else, on a producer's post only, a run's producer token. */
  private Caller caller(ContainerRequestContext request, String token) {
    if (token.indexOf('.') >= 0) {
      return identity.caller(token);
    }
    if (producerCall(request) && ProducerTokens.looksLikeOne(token)) {
      return runs.runOfProducerToken(token)
          .map(Caller::producer)
          .orElseThrow(
              () -> new TokenRejectedException(TokenRejectedException.Reason.NOT_A_PRODUCER));
    }
    throw new TokenRejectedException(TokenRejectedException.Reason.MALFORMED);
  }

  /** Whether the request may change something (GET and HEAD do not). */
  private static boolean changes(ContainerRequestContext request) {
    return !HttpMethod.GET.equals(request.getMethod())
        && !HttpMethod.HEAD.equals(request.getMethod());
  }

  private static boolean producerCall(ContainerRequestContext request) {
    return HttpMethod.POST.equals(request.getMethod())
        && EVENTS.matcher(request.getUriInfo().getPath()).matches();
  }

  private static Optional<String> bearer(String authorization) {
    if (authorization == null
        || authorization.length() < BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    return Optional.of(authorization.substring(BEARER.length()).trim());
  }

  private static void refuse(ContainerRequestContext request, String challenge, String detail) {
    request.abortWith(
        Problems.builder(
                Problem.of("unauthorized", "Unauthorized", 401, detail), request.getUriInfo())
            .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
            .build());
  }
}
