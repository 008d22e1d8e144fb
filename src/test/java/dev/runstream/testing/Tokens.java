package dev.runstream.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * An identity provider of the tests' own: an RSA and an EC key pair made here, and tokens signed
 * with them (or made wrong on purpose), as Keycloak would issue them.
 */
public final class Tokens {

  public static final String ISSUER = "https://idp.test/realms/runstream";
  public static final String AUDIENCE = "runstream";
  public static final String ADMIN_GROUP = "runstream-admin";

  private final RSAKey rsa;
  private final ECKey ec;

  private Tokens(RSAKey rsa, ECKey ec) {
    this.rsa = rsa;
    this.ec = ec;
  }

  /** New key pairs: RSA 2048 ({@code kid} rsa-1) and EC P-256 ({@code kid} ec-1). */
  public static Tokens generate() {
    try {
      return new Tokens(
          new RSAKeyGenerator(2048).keyID("rsa-1").generate(),
          new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The identity provider whose key pairs {@link #privateJwks()} gave. */
  public static Tokens of(String privateJwks) {
    try {
      JWKSet keys = JWKSet.parse(privateJwks);
      return new Tokens(
          keys.getKeyByKeyId("rsa-1").toRSAKey(), keys.getKeyByKeyId("ec-1").toECKey());
    } catch (java.text.ParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Where {@link Deployments#withIdentity} puts the public keys, and the key pairs. */
  static final String PUBLIC_JWKS = "test-idp-jwks.json";

  static final String PRIVATE_JWKS = "test-idp-keys.json";

  /**
   * In the container: the identity provider whose keys {@link Deployments#withIdentity} deployed,
   * to mint tokens the server accepts.
   */
  public static Tokens deployed() {
    try (InputStream keys =
        Thread.currentThread().getContextClassLoader().getResourceAsStream(PRIVATE_JWKS)) {
      if (keys == null) {
        throw new IllegalStateException(PRIVATE_JWKS + " is not deployed: use withIdentity");
      }
      return of(new String(keys.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Both key pairs, private parts included: for a test that mints tokens in another JVM. */
  public String privateJwks() {
    return new JWKSet(List.of(rsa, ec)).toString(false);
  }

  /** Both public keys as a JWK set, the way an identity provider publishes them. */
  public String publicJwks() {
    return new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString();
  }

  public RSAKey rsa() {
    return rsa;
  }

  public ECKey ec() {
    return ec;
  }

  /** The RSA public key as PEM. */
  public String rsaPem() {
    try {
      return pem(rsa.toPublicKey().getEncoded());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The EC public key as PEM. */
  public String ecPem() {
    try {
      return pem(ec.toPublicKey().getEncoded());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(byte[] der) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** Claims of a good token of {@code subject}: issuer, audience, issued now, valid 5 minutes. */
  public static JWTClaimsSet.Builder claims(String subject, String... groups) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(subject)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
        .claim("groups", List.of(groups));
  }

  public String rs256(JWTClaimsSet claims) {
    try {
      return sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, rsa.getKeyID(), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public String es256(JWTClaimsSet claims) {
    try {
      return sign(new ECDSASigner(ec), JWSAlgorithm.ES256, ec.getKeyID(), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signed with an RSA key nobody configured, under the configured key's id. */
  public static String rs256ByAStranger(JWTClaimsSet claims) {
    try {
      RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
      return sign(new RSASSASigner(stranger), JWSAlgorithm.RS256, "rsa-1", claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** HMAC-signed (HS256), an algorithm the server refuses. */
  public static String hs256(JWTClaimsSet claims) {
    try {
      return sign(new MACSigner(new byte[32]), JWSAlgorithm.HS256, null, claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Unsigned: {@code alg: none} and an empty signature. */
  public static String unsigned(JWTClaimsSet claims) {
    return new PlainJWT(claims).serialize();
  }

  /** {@code token} with its claims changed after signing (the signature no longer fits). */
  public static String tampered(String token, JWTClaimsSet forged) {
    String[] parts = token.split("\\.");
    String payload =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(forged.toString().getBytes(StandardCharsets.UTF_8));
    return parts[0] + "." + payload + "." + parts[2];
  }

  private static String sign(
      com.nimbusds.jose.JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID(kid).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
