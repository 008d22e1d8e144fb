package dev.runstream.identity.entity;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * How bearer tokens are verified, in MicroProfile JWT's own keys. Identity is on when a key is
 * given ({@code mp.jwt.verify.publickey}: PEM, JWK or JWKS text; or {@code
 * mp.jwt.verify.publickey.location}: a file, classpath resource or URL of one), off otherwise.
 * {@code mp.jwt.verify.issuer} and {@code mp.jwt.verify.audiences} (a comma list: any one of them)
 * are checked when given; {@code mp.jwt.verify.clock.skew} is in seconds (default 60); {@code
 * mp.jwt.verify.publickey.algorithm} is the signature algorithm, or a comma list of them (RS256,
 * ES256; default RS256). Members of {@code chat.security.admin-group} (default {@code
 * runstream-admin}) manage every run.
 */
public record IdentitySettings(
    String publicKey,
    String publicKeyLocation,
    String issuer,
    Set<String> audiences,
    long clockSkewSeconds,
    Set<String> algorithms,
    String adminGroup) {

  public static final String PUBLIC_KEY = "mp.jwt.verify.publickey";
  public static final String PUBLIC_KEY_LOCATION = "mp.jwt.verify.publickey.location";
  public static final String ISSUER = "mp.jwt.verify.issuer";
  public static final String AUDIENCES = "mp.jwt.verify.audiences";
  public static final String CLOCK_SKEW = "mp.jwt.verify.clock.skew";
  public static final String ALGORITHM = "mp.jwt.verify.publickey.algorithm";
  public static final String ADMIN_GROUP = "chat.security.admin-group";

  public static final Set<String> SUPPORTED_ALGORITHMS = Set.of("RS256", "ES256");
  public static final long DEFAULT_CLOCK_SKEW_SECONDS = 60;
  public static final String DEFAULT_ADMIN_GROUP = "runstream-admin";

  public IdentitySettings {
    audiences = Set.copyOf(audiences);
    algorithms = Set.copyOf(algorithms);
  }

  /** The settings as {@code setting} gives them (a config lookup by key); invalid ones throw. */
  public static IdentitySettings read(Function<String, Optional<String>> setting) {
    Function<String, Optional<String>> given =
        key -> setting.apply(key).map(String::trim).filter(value -> !value.isEmpty());
    Set<String> algorithms = list(given.apply(ALGORITHM).orElse("RS256"));
    for (String algorithm : algorithms) {
      if (!SUPPORTED_ALGORITHMS.contains(algorithm)) {
        throw new IllegalArgumentException(
            ALGORITHM + " names " + algorithm + "; supported: RS256, ES256");
      }
    }
    long skew = given.apply(CLOCK_SKEW).map(Long::parseLong).orElse(DEFAULT_CLOCK_SKEW_SECONDS);
    if (skew < 0) {
      throw new IllegalArgumentException(CLOCK_SKEW + " must not be negative");
    }
    return new IdentitySettings(
        given.apply(PUBLIC_KEY).orElse(null),
        given.apply(PUBLIC_KEY_LOCATION).orElse(null),
        given.apply(ISSUER).orElse(null),
        given.apply(AUDIENCES).map(IdentitySettings::list).orElse(Set.of()),
        skew,
        algorithms,
        given.apply(ADMIN_GROUP).orElse(DEFAULT_ADMIN_GROUP));
  }

  /** Whether tokens are verified at all: a key is configured. */
  public boolean enabled() {
    return publicKey != null || publicKeyLocation != null;
  }

  private static Set<String> list(String commaList) {
    Set<String> items = new LinkedHashSet<>();
    Arrays.stream(commaList.split(","))
        .map(String::trim)
        .filter(item -> !item.isEmpty())
        .forEach(items::add);
    return items;
  }
}
