package dev.runstream.identity.boundary;

import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The browser's credentials, in cookies its scripts cannot read ({@code HttpOnly}), sent over HTTPS
 * only ({@code Secure}; browsers make an exception for {@code localhost}) and never by another site
 * ({@code SameSite=Strict}): the access token, for the API under {@code api/v1/} (an {@code
 * EventSource} cannot send an {@code Authorization} header, it sends cookies), and the refresh
 * token, for {@code api/v1/auth/} alone. The sign-in attempt's state and PKCE verifier live for ten
 * minutes in a {@code SameSite=Lax} cookie of the callback's path: the provider's redirect back is
 * a navigation from another site, which a strict cookie would not come with.
 */
public final class SessionCookies {

  public static final String SESSION = "runstream_session";
  public static final String REFRESH = "runstream_refresh";
  public static final String LOGIN = "runstream_login";
  static final Duration LOGIN_LIFETIME = Duration.ofMinutes(10);

  private SessionCookies() {}

  /** The access token the browser holds, if it sent one. */
  public static Optional<String> session(Map<String, Cookie> cookies) {
    return value(cookies, SESSION);
  }

  static Optional<String> value(Map<String, Cookie> cookies, String name) {
    Cookie cookie = cookies.get(name);
    return cookie == null || cookie.getValue().isEmpty()
        ? Optional.empty()
        : Optional.of(cookie.getValue());
  }

  static String session(UriInfo uri, String accessToken, Duration lifetime) {
    return cookie(SESSION, accessToken, apiPath(uri), lifetime, "Strict");
  }

  static String refresh(UriInfo uri, String refreshToken) {
    return cookie(REFRESH, refreshToken, apiPath(uri) + "auth/", null, "Strict");
  }

  static String login(UriInfo uri, String value) {
    return cookie(LOGIN, value, callbackPath(uri), LOGIN_LIFETIME, "Lax");
  }

  static String[] cleared(UriInfo uri) {
    return new String[] {
      cookie(SESSION, "", apiPath(uri), Duration.ZERO, "Strict"),
      cookie(REFRESH, "", apiPath(uri) + "auth/", Duration.ZERO, "Strict")
    };
  }

  static String loginCleared(UriInfo uri) {
    return cookie(LOGIN, "", callbackPath(uri), Duration.ZERO, "Lax");
  }

  /** The path of the API under this deployment's context root, such as {@code /chat/api/v1/}. */
  static String apiPath(UriInfo uri) {
    String path = uri.getBaseUri().getRawPath();
    return path.endsWith("/") ? path : path + "/";
  }

  static String callbackPath(UriInfo uri) {
    return apiPath(uri) + "auth/callback";
  }

  private static String cookie(
      String name, String value, String path, Duration lifetime, String sameSite) {
    StringBuilder cookie =
        new StringBuilder(name).append('=').append(value).append("; Path=").append(path);
    if (lifetime != null) {
      cookie.append("; Max-Age=").append(Math.max(0, lifetime.toSeconds()));
    }
    return cookie.append("; HttpOnly; Secure; SameSite=").append(sameSite).toString();
  }
}
