package dev.runstream.identity.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.runstream.identity.entity.IdentitySettings;
import dev.runstream.identity.entity.TokenRejectedException;
import dev.runstream.identity.entity.TokenRejectedException.Reason;
import dev.runstream.identity.entity.VerifiedToken;
import dev.runstream.testing.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Signatures, algorithms and claims, as the filter relies on them; keys made by the test. */
class TokenVerifierTest {

  private static final Tokens IDP = Tokens.generate();

  private static TokenVerifier verifier(Map<String, String> settings) {
    IdentitySettings read = IdentitySettings.read(key -> Optional.ofNullable(settings.get(key)));
    return new TokenVerifier(
        read, new ImmutableJWKSet<>(Keys.parse(IDP.publicJwks())), Clock.systemUTC());
  }

  private static final TokenVerifier BOTH =
      verifier(
          Map.of(
              IdentitySettings.PUBLIC_KEY,
              "set",
              IdentitySettings.ISSUER,
              Tokens.ISSUER,
              IdentitySettings.AUDIENCES,
              "other, " + Tokens.AUDIENCE,
              IdentitySettings.ALGORITHM,
              "RS256,ES256"));

  private static Reason refused(TokenVerifier verifier, String token) {
    return assertThrows(TokenRejectedException.class, () -> verifier.verify(token)).reason();
  }

  @Test
  void aGoodTokenGivesItsSubjectAndGroups() {
    VerifiedToken rs = BOTH.verify(IDP.rs256(Tokens.claims("alice", "a", "b").build()));
    assertEquals("alice", rs.subject());
    assertEquals(Set.of("a", "b"), rs.groups());
    assertEquals("bob", BOTH.verify(IDP.es256(Tokens.claims("bob").build())).subject());
  }

  @Test
  void onlyTheConfiguredAlgorithmsAreAccepted() {
    TokenVerifier rsOnly =
        verifier(
            Map.of(IdentitySettings.PUBLIC_KEY, "set", IdentitySettings.ISSUER, Tokens.ISSUER));
    assertEquals("alice", rsOnly.verify(IDP.rs256(Tokens.claims("alice").build())).subject());
    assertEquals(
        Reason.UNSUPPORTED_ALGORITHM, refused(rsOnly, IDP.es256(Tokens.claims("bob").build())));
    assertEquals(
        Reason.UNSUPPORTED_ALGORITHM, refused(BOTH, Tokens.hs256(Tokens.claims("eve").build())));
  }

  @Test
  void unsignedTamperedAndForeignTokensAreRefused() {
    JWTClaimsSet alice = Tokens.claims("alice").build();
    assertEquals(Reason.UNSIGNED, refused(BOTH, Tokens.unsigned(alice)));
    assertEquals(
        Reason.BAD_SIGNATURE,
        refused(BOTH, Tokens.tampered(IDP.rs256(alice), Tokens.claims("mallory").build())));
    assertEquals(Reason.BAD_SIGNATURE, refused(BOTH, Tokens.rs256ByAStranger(alice)));
    assertEquals(Reason.MALFORMED, refused(BOTH, "not.a.jwt"));
    assertEquals(Reason.MALFORMED, refused(BOTH, "garbage"));
  }

  @Test
  void timesAreCheckedWithTheClockSkew() {
    Instant now = Instant.now();
    JWTClaimsSet expired =
        Tokens.claims("alice").expirationTime(Date.from(now.minusSeconds(61))).build();
    assertEquals(Reason.EXPIRED, refused(BOTH, IDP.rs256(expired)));
    JWTClaimsSet justExpired =
        Tokens.claims("alice").expirationTime(Date.from(now.minusSeconds(30))).build();
    assertEquals("alice", BOTH.verify(IDP.rs256(justExpired)).subject(), "within 60 s of skew");
    JWTClaimsSet later =
        Tokens.claims("alice").notBeforeTime(Date.from(now.plusSeconds(120))).build();
    assertEquals(Reason.NOT_YET_VALID, refused(BOTH, IDP.rs256(later)));
    JWTClaimsSet issuedLater =
        Tokens.claims("alice").issueTime(Date.from(now.plus(Duration.ofMinutes(2)))).build();
    assertEquals(Reason.NOT_YET_VALID, refused(BOTH, IDP.rs256(issuedLater)));
    JWTClaimsSet noExpiry = Tokens.claims("alice").expirationTime(null).build();
    assertEquals(Reason.NO_EXPIRY, refused(BOTH, IDP.rs256(noExpiry)));

    TokenVerifier strict =
        verifier(Map.of(IdentitySettings.PUBLIC_KEY, "set", IdentitySettings.CLOCK_SKEW, "0"));
    assertEquals(Reason.EXPIRED, refused(strict, IDP.rs256(justExpired)));
  }

  @Test
  void issuerAndAudienceMustMatchWhenConfigured() {
    assertEquals(
        Reason.WRONG_ISSUER,
        refused(BOTH, IDP.rs256(Tokens.claims("alice").issuer("https://evil.test").build())));
    assertEquals(
        Reason.WRONG_ISSUER, refused(BOTH, IDP.rs256(Tokens.claims("alice").issuer(null).build())));
    assertEquals(
        Reason.WRONG_AUDIENCE,
        refused(BOTH, IDP.rs256(Tokens.claims("alice").audience("someone-else").build())));
    assertEquals(
        Reason.WRONG_AUDIENCE,
        refused(BOTH, IDP.rs256(Tokens.claims("alice").audience((String) null).build())));
    TokenVerifier lax = verifier(Map.of(IdentitySettings.PUBLIC_KEY, "set"));
    assertEquals(
        "alice",
        lax.verify(IDP.rs256(Tokens.claims("alice").issuer("x").audience("y").build())).subject(),
        "neither is checked when not configured");
  }

  @Test
  void theSubjectIsSubElseUpnElsePreferredUsername() {
    JWTClaimsSet upn = Tokens.claims(null).claim("upn", "alice@example.com").build();
    assertEquals("alice@example.com", BOTH.verify(IDP.rs256(upn)).subject());
    JWTClaimsSet preferred = Tokens.claims(null).claim("preferred_username", "alice").build();
    assertEquals("alice", BOTH.verify(IDP.rs256(preferred)).subject());
    JWTClaimsSet both = Tokens.claims("id-1").claim("upn", "alice@example.com").build();
    assertEquals("id-1", BOTH.verify(IDP.rs256(both)).subject());
    assertEquals(Reason.NO_SUBJECT, refused(BOTH, IDP.rs256(Tokens.claims(null).build())));
  }

  @Test
  void groupsThatAreNotAnArrayOfStringsAreNoGroups() {
    JWTClaimsSet odd = Tokens.claims("alice").claim("groups", "runstream-admin").build();
    assertEquals(Set.of(), BOTH.verify(IDP.rs256(odd)).groups());
    assertFalse(
        BOTH.verify(IDP.rs256(Tokens.claims("alice").claim("groups", null).build()))
            .groups()
            .contains("runstream-admin"));
  }

  @Test
  void keysThatCannotBeFetchedAreNoBadSignature() {
    TokenVerifier down =
        new TokenVerifier(
            IdentitySettings.read(
                key ->
                    Optional.ofNullable(
                        Map.of(IdentitySettings.PUBLIC_KEY_LOCATION, "https://idp.test/certs")
                            .get(key))),
            (selector, context) -> {
              throw new com.nimbusds.jose.KeySourceException("connection refused");
            },
            Clock.systemUTC());
    assertEquals(Reason.KEYS_UNAVAILABLE, refused(down, IDP.rs256(Tokens.claims("alice").build())));
  }

  @Test
  void aRefusalNeverQuotesTheToken() {
    String token = IDP.rs256(Tokens.claims("alice").issuer("https://evil.test").build());
    TokenRejectedException e = assertThrows(TokenRejectedException.class, () -> BOTH.verify(token));
    assertFalse(e.getMessage().contains(token));
    assertFalse(e.getMessage().contains("evil"), "nor a claim of it: " + e.getMessage());
  }
}
