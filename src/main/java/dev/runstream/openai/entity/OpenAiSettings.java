package dev.runstream.openai.entity;

import dev.runstream.input.entity.Violations;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the OpenAI-compatible upstream is and how to call it. {@code baseUrl}, {@code apiKey} and
 * {@code model} are null when not set. {@link #toString()} never shows the key.
 */
public record OpenAiSettings(
    URI baseUrl, String apiKey, String model, Duration connectTimeout, Duration readTimeout) {

  public static final String BASE_URL = "chat.openai.base-url";
  public static final String API_KEY = "chat.openai.api-key";
  public static final String MODEL = "chat.openai.model";
  public static final String CONNECT_TIMEOUT_MS = "chat.openai.connect-timeout-ms";
  public static final String READ_TIMEOUT_MS = "chat.openai.read-timeout-ms";
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_READ_TIMEOUT_MS = 120_000;

  /**
   * The settings as {@code setting} gives them (a config lookup by key). Throws {@link
   * IllegalArgumentException} naming the key of a value that is not valid, never the value itself
   * (a URL may hold credentials).
   */
  public static OpenAiSettings read(Function<String, Optional<String>> setting) {
    return new OpenAiSettings(
        given(setting, BASE_URL).map(OpenAiSettings::url).orElse(null),
        given(setting, API_KEY).orElse(null),
        given(setting, MODEL).orElse(null),
        millis(setting, CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS),
        millis(setting, READ_TIMEOUT_MS, DEFAULT_READ_TIMEOUT_MS));
  }

  /** {@code POST} here: the base URL and {@code /chat/completions}. */
  public URI completions() {
    String base = baseUrl.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + "/chat/completions");
  }

  /**
   * The model of a run that names {@code requested} (may be null): that one, else the default.
   * Records why a run cannot be served: no base URL ({@code /responder}), no model ({@code
   * /model}).
   */
  public String modelFor(String requested, Violations violations) {
    if (baseUrl == null) {
      violations.add(
          "/responder",
          "The openai responder is not set up on this server: " + BASE_URL + " is not set.");
    }
    String chosen = requested != null ? requested : model;
    if (chosen == null) {
      violations.add(
          "/model", "Required: name the model; this server has no default (" + MODEL + ").");
    }
    return chosen;
  }

  @Override
  public String toString() {
    return "OpenAiSettings[baseUrl="
        + baseUrl
        + ", apiKey="
        + (apiKey == null ? "none" : "(set)")
        + ", model="
        + model
        + ", connectTimeout="
        + connectTimeout
        + ", readTimeout="
        + readTimeout
        + "]";
  }

  private static Optional<String> given(Function<String, Optional<String>> setting, String key) {
    return setting.apply(key).map(String::strip).filter(value -> !value.isEmpty());
  }

  private static URI url(String value) {
    try {
      URI url = new URI(value);
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https"))
          && url.getHost() != null
          && url.getRawQuery() == null
          && url.getRawFragment() == null) {
        return url;
      }
    } catch (URISyntaxException e) {
      // answered below, without the value
    }
    throw new IllegalArgumentException(
        BASE_URL + " must be an http:// or https:// URL with a host and no query.");
  }

  private static Duration millis(
      Function<String, Optional<String>> setting, String key, long fallback) {
    Optional<String> value = given(setting, key);
    if (value.isEmpty()) {
      return Duration.ofMillis(fallback);
    }
    try {
      long ms = Long.parseLong(value.get());
      if (ms > 0) {
        return Duration.ofMillis(ms);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException(
        key + " must be a whole number of milliseconds, at least 1.");
  }
}
