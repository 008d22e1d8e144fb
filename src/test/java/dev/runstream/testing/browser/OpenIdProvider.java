package dev.runstream.testing.browser;

import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * A real OpenID Connect provider for the tests, in the test's JVM (never in the container, like the
 * rest of this package): NAV's mock-oauth2-server, with discovery, the authorization code flow with
 * PKCE, refresh tokens, RS256 tokens and its JWK set. Whoever signs in through it is {@link #USER},
 * with {@link #AUDIENCE}; a test mints other users' tokens with {@link #token(String)}.
 */
public final class OpenIdProvider {

  public static final String ISSUER_ID = "idp";
  public static final String USER = "alice";
  public static final String AUDIENCE = "runstream";
  public static final String CLIENT_ID = "runstream-page";

  private static MockOAuth2Server server;

  private OpenIdProvider() {}

  /** The provider, started once for the test JVM. */
  public static synchronized MockOAuth2Server server() {
    if (server == null) {
      String config =
          """
          {"interactiveLogin": false,
           "tokenCallbacks": [{"issuerId": "%s", "tokenExpiry": 300,
             "requestMappings": [{"requestParam": "grant_type", "match": "*",
               "claims": {"sub": "%s", "aud": ["%s"], "groups": []}}]}]}
          """
              .formatted(ISSUER_ID, USER, AUDIENCE);
      server = new MockOAuth2Server(OAuth2Config.Companion.fromJson(config));
      server.start();
    }
    return server;
  }

  /** The issuer's URL, which is also where its discovery document is. */
  public static String issuer() {
    return server().issuerUrl(ISSUER_ID).toString().replaceAll("/$", "");
  }

  /** The settings that point a deployment at this provider, for tokens and for the page. */
  public static Map<String, String> settings() {
    return Map.of(
        "mp.jwt.verify.publickey.location",
        server().jwksUrl(ISSUER_ID).toString(),
        "mp.jwt.verify.issuer",
        issuer(),
        "mp.jwt.verify.audiences",
        AUDIENCE,
        "chat.security.oidc.client-id",
        CLIENT_ID);
  }

  /** A token of {@code subject}, as the provider would issue it to that user. */
  public static String token(String subject) {
    return server()
        .issueToken(
            ISSUER_ID,
            CLIENT_ID,
            new DefaultOAuth2TokenCallback(
                ISSUER_ID, subject, "JWT", List.of(AUDIENCE), Map.of("groups", List.of()), 300))
        .serialize();
  }
}
