package dev.runstream.identity.boundary;

import dev.runstream.Jsons;
import dev.runstream.PublicUrls;
import dev.runstream.identity.control.Identity;
import dev.runstream.identity.control.SignIn;
import dev.runstream.identity.entity.SignInException;
import dev.runstream.identity.entity.TokenRejectedException;
import dev.runstream.problems.boundary.Problems;
import dev.runstream.problems.entity.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The chat page's sign-in: {@code GET auth/login} sends the browser to the OpenID provider, {@code
 * GET auth/callback} takes the code back, redeems it and hands the browser its cookies ({@link
 * SessionCookies}), {@code GET auth/session} says who is signed in, {@code POST auth/refresh}
 * renews the access token, {@code POST auth/logout} forgets both. No token ever goes into a URL, an
 * answer's body or a log line; a callback that fails sends the browser back to the page with a
 * reason code ({@code ?sign_in=…}) the page explains.
 */
@Path("auth")
@ApplicationScoped
public class SignInResource {

  private static final Logger LOG = Logger.getLogger(SignInResource.class.getName());

  @Inject Identity identity;

  @Inject SignIn signIn;

  @Inject PublicUrls urls;

  @GET
  @Path("session")
  @Produces(MediaType.APPLICATION_JSON)
  public Response session(@Context HttpHeaders headers) {
    JsonObjectBuilder answer = Jsons.object();
    if (!identity.enabled()) {
      return fresh(answer.add("identity", "off").add("signed_in", false).build());
    }
    answer.add("identity", "on").add("sign_in", signIn.enabled());
    Optional<Identity.Session> session = signedInAs(headers);
    if (session.isEmpty()) {
      return fresh(answer.add("signed_in", false).build());
    }
    return fresh(signedIn(answer, session.get()).build());
  }

  @GET
  @Path("login")
  public Response login(@Context UriInfo uri) {
    if (!signIn.enabled()) {
      return signInOff(uri);
    }
    String state = SignIn.secret();
    String verifier = SignIn.secret();
    URI provider = signIn.authorization(callback(uri), state, verifier);
    return Response.seeOther(provider)
        .header(HttpHeaders.SET_COOKIE, SessionCookies.login(uri, state + "." + verifier))
        .cacheControl(noStore())
        .build();
  }

  @GET
  @Path("callback")
  public Response callback(
      @Context UriInfo uri,
      @Context HttpHeaders headers,
      @QueryParam("code") String code,
      @QueryParam("state") String state,
      @QueryParam("error") String error) {
    if (!signIn.enabled()) {
      return signInOff(uri);
    }
    Response.ResponseBuilder back =
        Response.status(Response.Status.SEE_OTHER)
            .header(HttpHeaders.LOCATION, page(uri, ""))
            .header(HttpHeaders.SET_COOKIE, SessionCookies.loginCleared(uri))
            .cacheControl(noStore());
    Optional<String> attempt = SessionCookies.value(headers.getCookies(), SessionCookies.LOGIN);
    try {
      if (error != null) {
        throw new SignInException(SignInException.Reason.REFUSED);
      }
      int dot = attempt.map(value -> value.indexOf('.')).orElse(-1);
      if (dot < 0 || code == null || !attempt.get().substring(0, dot).equals(state)) {
        throw new SignInException(SignInException.Reason.EXPIRED);
      }
      SignIn.Tokens tokens = signIn.redeem(code, attempt.get().substring(dot + 1), callback(uri));
      Identity.Session session = verified(tokens.access());
      for (String cookie : cookies(uri, tokens, session)) {
        back.header(HttpHeaders.SET_COOKIE, cookie);
      }
      LOG.info(() -> "signed in: " + session.caller().getName());
      return back.build();
    } catch (SignInException e) {
      LOG.log(Level.INFO, "a sign-in failed: {0}", e.reason().code());
      return back.header(HttpHeaders.LOCATION, null)
          .header(HttpHeaders.LOCATION, page(uri, "?sign_in=" + e.reason().code()))
          .build();
    }
  }

  @POST
  @Path("refresh")
  @Produces(MediaType.APPLICATION_JSON)
  public Response refresh(@Context UriInfo uri, @Context HttpHeaders headers) {
    if (!signIn.enabled()) {
      return signInOff(uri);
    }
    Optional<String> refresh = SessionCookies.value(headers.getCookies(), SessionCookies.REFRESH);
    if (refresh.isEmpty() || CrossSite.of(headers)) {
      return unauthorized(uri, "There is no session to renew: sign in again.");
    }
    try {
      SignIn.Tokens tokens = signIn.refresh(refresh.get());
      Identity.Session session = verified(tokens.access());
      Response.ResponseBuilder answer =
          Response.ok(
              signedIn(Jsons.object().add("identity", "on").add("sign_in", true), session).build());
      for (String cookie : cookies(uri, tokens, session)) {
        answer.header(HttpHeaders.SET_COOKIE, cookie);
      }
      return answer.cacheControl(noStore()).build();
    } catch (SignInException e) {
      if (e.reason() == SignInException.Reason.PROVIDER_UNREACHABLE) {
        return Problems.builder(
                Problem.of(
                    "identity-unavailable", "Identity unavailable", 503, e.reason().detail()),
                uri)
            .header(HttpHeaders.RETRY_AFTER, "5")
            .build();
      }
      return unauthorized(uri, "The session cannot be renewed: sign in again.");
    }
  }

  @POST
  @Path("logout")
  public Response logout(@Context UriInfo uri) {
    Response.ResponseBuilder answer = Response.noContent().cacheControl(noStore());
    for (String cookie : SessionCookies.cleared(uri)) {
      answer.header(HttpHeaders.SET_COOKIE, cookie);
    }
    return answer.build();
  }

  private Optional<Identity.Session> signedInAs(HttpHeaders headers) {
    Optional<String> token = SessionCookies.session(headers.getCookies());
    if (token.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(identity.session(token.get()));
    } catch (TokenRejectedException e) {
      return Optional.empty();
    }
  }

  private Identity.Session verified(String accessToken) {
    try {
      return identity.session(accessToken);
    } catch (TokenRejectedException e) {
      LOG.log(Level.WARNING, "the identity provider's access token was refused: {0}", e.reason());
      throw new SignInException(
          e.reason() == TokenRejectedException.Reason.KEYS_UNAVAILABLE
              ? SignInException.Reason.PROVIDER_UNREACHABLE
              : SignInException.Reason.TOKEN_NOT_ACCEPTED);
    }
  }

  private static String[] cookies(UriInfo uri, SignIn.Tokens tokens, Identity.Session session) {
    Duration lifetime = Duration.between(Instant.now(), session.expiresAt());
    String access = SessionCookies.session(uri, tokens.access(), lifetime);
    return tokens.refresh() == null
        ? new String[] {access}
        : new String[] {access, SessionCookies.refresh(uri, tokens.refresh())};
  }

  private static JsonObjectBuilder signedIn(JsonObjectBuilder answer, Identity.Session session) {
    return answer
        .add("signed_in", true)
        .add("subject", session.caller().subject())
        .add("admin", session.caller().admin())
        .add("expires_at", session.expiresAt().toString());
  }

  private static Response signInOff(UriInfo uri) {
    return Problems.response(
        Problem.of(
            "sign-in-off",
            "Sign-in is off",
            404,
            "This server has no OpenID Connect sign-in configured."),
        uri);
  }

  private static Response unauthorized(UriInfo uri, String detail) {
    return Problems.builder(Problem.of("unauthorized", "Unauthorized", 401, detail), uri)
        .header(HttpHeaders.WWW_AUTHENTICATE, IdentityFilter.REALM)
        .build();
  }

  private static Response fresh(JsonObject answer) {
    return Response.ok(answer).cacheControl(noStore()).build();
  }

  private static CacheControl noStore() {
    CacheControl cache = new CacheControl();
    cache.setNoStore(true);
    return cache;
  }

  /**
   * The callback the provider sends the browser back to: an absolute URL, which the provider checks
   * against the ones registered with it; from {@code chat.public-base-url} when it is set.
   */
  private URI callback(UriInfo uri) {
    return urls.absolute()
        ? urls.of(uri, "api/v1/auth/callback")
        : uri.getBaseUriBuilder().path("auth/callback").build();
  }

  /**
   * The chat page, the context root (see {@link PublicUrls}), set as the header's text: servers
   * differ in how they resolve a relative {@code URI} given to {@code location(…)}.
   */
  private String page(UriInfo uri, String query) {
    return urls.of(uri, query).toString();
  }
}
