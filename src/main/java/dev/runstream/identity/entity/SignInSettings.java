package dev.runstream.identity.entity;

import java.net.URI;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the chat page signs its users in: OpenID Connect's authorization code flow with PKCE, the
 * server as the client. On when {@code chat.security.oidc.client-id} is given (and identity is on).
 * {@code chat.security.oidc.provider} is the provider's issuer URL, whose {@code
 * /.well-known/openid-configuration} names its endpoints (default: {@code mp.jwt.verify.issuer});
 * {@code chat.security.oidc.client-secret} is given for a confidential client (sent as HTTP Basic
 * to the token endpoint); {@code chat.security.oidc.scope} defaults to {@code openid}.
 */
public record SignInSettings(URI provider, String clientId, String clientSecret, String scope) {

  public static final String CLIENT_ID = "chat.security.oidc.client-id";
  public static final String CLIENT_SECRET = "chat.security.oidc.client-secret";
  public static final String PROVIDER = "chat.security.oidc.provider";
  public static final String SCOPE = "chat.security.oidc.scope";
  public static final String DEFAULT_SCOPE = "openid";

  /** Sign-in off: the page and clients bring their own bearer tokens. */
  public static final SignInSettings OFF = new SignInSettings(null, null, null, DEFAULT_SCOPE);

  /** The settings as {@code setting} gives them; invalid ones throw, naming the key. */
  public static SignInSettings read(Function<String, Optional<String>> setting) {
    Function<String, Optional<String>> given =
        key -> setting.apply(key).map(String::trim).filter(value -> !value.isEmpty());
    Optional<String> clientId = given.apply(CLIENT_ID);
    if (clientId.isEmpty()) {
      return OFF;
    }
    String provider =
        given
            .apply(PROVIDER)
            .or(() -> given.apply(IdentitySettings.ISSUER))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        CLIENT_ID
                            + " is set: "
                            + PROVIDER
                            + " (or "
                            + IdentitySettings.ISSUER
                            + ") must name the OpenID provider"));
    URI uri;
    try {
      uri = URI.create(provider);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(PROVIDER + " is not a URL", e);
    }
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
      throw new IllegalArgumentException(PROVIDER + " must be an http(s) URL");
    }
    String scope = given.apply(SCOPE).orElse(DEFAULT_SCOPE);
    if (!(" " + scope + " ").contains(" openid ")) {
      scope = "openid " + scope;
    }
    return new SignInSettings(uri, clientId.get(), given.apply(CLIENT_SECRET).orElse(null), scope);
  }

  public boolean enabled() {
    return clientId != null;
  }

  /** Never the secret. */
  @Override
  public String toString() {
    return "SignInSettings[" + provider + ", client " + clientId + "]";
  }
}
