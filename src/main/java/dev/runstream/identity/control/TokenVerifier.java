package dev.runstream.identity.control;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.runstream.identity.entity.IdentitySettings;
import dev.runstream.identity.entity.TokenRejectedException;
import dev.runstream.identity.entity.TokenRejectedException.Reason;
import dev.runstream.identity.entity.VerifiedToken;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies a bearer token: a JWS (never {@code alg: none}, never an encrypted or unsigned JWT)
 * signed with one of the accepted algorithms by one of the configured keys (nimbus checks the
 * signature); then its claims, here, in our own words: {@code exp} required and not past, {@code
 * nbf} and {@code iat} not in the future (each with the clock skew), {@code iss} the configured
 * issuer, {@code aud} one of the configured audiences, and a subject ({@code sub}, else {@code
 * upn}, else {@code preferred_username}). Groups are the {@code groups} claim.
 */
public final class TokenVerifier {

  private static final int LONGEST_SUBJECT = 255; // runs.owner

  private final IdentitySettings settings;
  private final Set<JWSAlgorithm> algorithms;
  private final DefaultJWTProcessor<SecurityContext> signatures = new DefaultJWTProcessor<>();
  private final Clock clock;

  public TokenVerifier(IdentitySettings settings, JWKSource<SecurityContext> keys, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.algorithms =
        settings.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
    signatures.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
    signatures.setJWSTypeVerifier((type, context) -> {}); // typ is informational (JWT, at+jwt)
    signatures.setJWTClaimsSetVerifier(null); // the claims are checked below
  }

  public VerifiedToken verify(String token) {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new TokenRejectedException(Reason.MALFORMED, e);
    }
    if (!(jwt instanceof SignedJWT signed)) {
      throw new TokenRejectedException(
          jwt.getHeader().getAlgorithm() == com.nimbusds.jose.Algorithm.NONE
              ? Reason.UNSIGNED
              : Reason.MALFORMED);
    }
    JWSHeader header = signed.getHeader();
    if (!algorithms.contains(header.getAlgorithm())) {
      throw new TokenRejectedException(Reason.UNSUPPORTED_ALGORITHM);
    }
    JWTClaimsSet claims;
    try {
      claims = signatures.process(signed, null);
    } catch (KeySourceException e) {
      throw new TokenRejectedException(Reason.KEYS_UNAVAILABLE, e);
    } catch (BadJOSEException | JOSEException e) {
      throw new TokenRejectedException(Reason.BAD_SIGNATURE, e);
    }
    return checked(claims);
  }

  private VerifiedToken checked(JWTClaimsSet claims) {
    Instant now = clock.instant();
    Duration skew = Duration.ofSeconds(settings.clockSkewSeconds());
    Date expiry = claims.getExpirationTime();
    if (expiry == null) {
      throw new TokenRejectedException(Reason.NO_EXPIRY);
    }
    if (!now.isBefore(expiry.toInstant().plus(skew))) {
      throw new TokenRejectedException(Reason.EXPIRED);
    }
    for (Date start : new Date[] {claims.getNotBeforeTime(), claims.getIssueTime()}) {
      if (start != null && now.plus(skew).isBefore(start.toInstant())) {
        throw new TokenRejectedException(Reason.NOT_YET_VALID);
      }
    }
    if (settings.issuer() != null && !settings.issuer().equals(claims.getIssuer())) {
      throw new TokenRejectedException(Reason.WRONG_ISSUER);
    }
    List<String> audience = claims.getAudience();
    if (!settings.audiences().isEmpty()
        && audience.stream().noneMatch(settings.audiences()::contains)) {
      throw new TokenRejectedException(Reason.WRONG_AUDIENCE);
    }
    String subject = subject(claims);
    if (subject == null || subject.length() > LONGEST_SUBJECT) {
      throw new TokenRejectedException(Reason.NO_SUBJECT);
    }
    return new VerifiedToken(subject, groups(claims), expiry.toInstant());
  }

  /** {@code sub}, else {@code upn}, else {@code preferred_username}: the owner of runs. */
  private static String subject(JWTClaimsSet claims) {
    for (String name : List.of("sub", "upn", "preferred_username")) {
      try {
        String value = claims.getStringClaim(name);
        if (value != null && !value.isBlank()) {
          return value;
        }
      } catch (ParseException e) {
        return null; // not a string: no subject
      }
    }
    return null;
  }

  /** The {@code groups} claim's strings (MicroProfile JWT); none if absent or not an array. */
  private static Set<String> groups(JWTClaimsSet claims) {
    Set<String> groups = new LinkedHashSet<>();
    if (claims.getClaim("groups") instanceof List<?> list) {
      list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(groups::add);
    }
    return groups;
  }
}
