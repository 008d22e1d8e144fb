package dev.runstream.cors.entity;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The origins whose pages may call the API from a browser ({@code
 * chat.security.cors.allowed-origins}, a comma list); none by default. Each one exactly, as a
 * browser sends it in {@code Origin}: {@code scheme://host} or {@code scheme://host:port}, http or
 * https, no path. {@code *}, {@code null} and patterns are refused: an operator names the sites it
 * trusts, and a wildcard would let any page on the web (one a user of a server on loopback happens
 * to visit, say) drive the API.
 */
public record CorsSettings(Set<String> allowedOrigins) {

  public static final String ALLOWED_ORIGINS = "chat.security.cors.allowed-origins";

  public CorsSettings {
    allowedOrigins = Collections.unmodifiableSet(new LinkedHashSet<>(allowedOrigins));
  }

  /** The settings as {@code setting} gives them (a config lookup by key); invalid ones throw. */
  public static CorsSettings read(Function<String, Optional<String>> setting) {
    Set<String> origins = new LinkedHashSet<>();
    setting
        .apply(ALLOWED_ORIGINS)
        .ifPresent(
            list ->
                Arrays.stream(list.split(","))
                    .map(String::trim)
                    .filter(item -> !item.isEmpty())
                    .map(CorsSettings::origin)
                    .forEach(origins::add));
    return new CorsSettings(origins);
  }

  /** Whether any origin is allowed at all. */
  public boolean enabled() {
    return !allowedOrigins.isEmpty();
  }

  /** Whether a request with this {@code Origin} header (may be null) is answered for CORS. */
  public boolean allows(String origin) {
    return origin != null && allowedOrigins.contains(origin);
  }

  /**
   * The origin as browsers serialize it: scheme and host in lower case, the port only if it is not
   * the scheme's default.
   */
  static String origin(String given) {
    if (given.equals("*")) {
      throw new IllegalArgumentException(
          ALLOWED_ORIGINS
              + " names \"*\", any origin, which is refused: list each origin exactly (such as"
              + " https://app.example).");
    }
    URI uri;
    try {
      uri = new URI(given);
    } catch (URISyntaxException e) {
      throw refused(given, "it is not an origin");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw refused(given, "an origin is http:// or https:// and a host");
    }
    if (uri.getHost() == null
        || uri.getRawUserInfo() != null
        || !uri.getRawPath().isEmpty()
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw refused(given, "an origin is scheme://host or scheme://host:port, nothing more");
    }
    int port = uri.getPort();
    boolean defaultPort = port == -1 || port == (scheme.equals("https") ? 443 : 80);
    return scheme
        + "://"
        + uri.getHost().toLowerCase(Locale.ROOT)
        + (defaultPort ? "" : ":" + port);
  }

  private static IllegalArgumentException refused(String given, String why) {
    return new IllegalArgumentException(
        ALLOWED_ORIGINS + " names \"" + given + "\": " + why + " (such as https://app.example).");
  }
}
