package dev.runstream.identity.control;

import dev.runstream.Jsons;
import dev.runstream.identity.entity.SignInException;
import dev.runstream.identity.entity.SignInException.Reason;
import dev.runstream.identity.entity.SignInSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;

/**
 * The server's side of OpenID Connect's authorization code flow with PKCE (RFC 7636): where to send
 * the browser, and the code (or a refresh token) exchanged for tokens, server to server. The
 * provider's endpoints come from its discovery document, read once. Calls are plain blocking HTTP
 * on the request's own thread, with timeouts: no thread of their own.
 */
@ApplicationScoped
public class SignIn {

  private static final Logger LOG = Logger.getLogger(SignIn.class.getName());
  private static final int TIMEOUT_MS = 10_000;
  private static final int LONGEST_ANSWER = 1 << 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject Config config;

  @Inject Identity identity;

  private SignInSettings settings;
  private volatile Endpoints endpoints;

  /** Where the provider takes the browser, and where the server redeems codes. */
  private record Endpoints(URI authorization, URI token) {}

  /** What the provider gave: the access token (a JWT this server verifies) and how to renew it. */
  public record Tokens(String access, String refresh) {}

  @PostConstruct
  void start() {
    settings = SignInSettings.read(key -> config.getOptionalValue(key, String.class));
    if (settings.enabled() && !identity.enabled()) {
      throw new IllegalArgumentException(
          SignInSettings.CLIENT_ID
              + " is set but identity is off: the page cannot sign in with tokens nobody verifies");
    }
    if (settings.enabled()) {
      LOG.info("the chat page signs in with OpenID Connect: " + settings);
    }
  }

  /** Reads the settings at deployment, so that bad ones fail it there. */
  void started(@Observes @Initialized(ApplicationScoped.class) Object application) {
    enabled();
  }

  public boolean enabled() {
    return settings.enabled();
  }

  /** A fresh random value for {@code state} and the PKCE verifier: 32 bytes, base64url. */
  public static String secret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The provider's authorization URL for this attempt. */
  public URI authorization(URI redirect, String state, String verifier) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", settings.clientId());
    query.put("redirect_uri", redirect.toString());
    query.put("scope", settings.scope());
    query.put("state", state);
    query.put("code_challenge", challenge(verifier));
    query.put("code_challenge_method", "S256");
    URI endpoint = endpoints().authorization();
    String separator = endpoint.getRawQuery() == null ? "?" : "&";
    return URI.create(endpoint + separator + form(query));
  }

  /** Redeems an authorization code. */
  public Tokens redeem(String code, String verifier, URI redirect) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", redirect.toString());
    form.put("code_verifier", verifier);
    return tokens(form);
  }

  /** Renews the tokens with a refresh token. */
  public Tokens refresh(String refreshToken) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    return tokens(form);
  }

  private Tokens tokens(Map<String, String> form) {
    if (settings.clientSecret() == null) {
      form.put("client_id", settings.clientId());
    }
    JsonObject answer;
    HttpURLConnection http = null;
    try {
      http = open(endpoints().token());
      http.setRequestMethod("POST");
      http.setDoOutput(true);
      http.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
      http.setRequestProperty("Accept", "application/json");
      if (settings.clientSecret() != null) {
        String basic = encode(settings.clientId()) + ":" + encode(settings.clientSecret());
        http.setRequestProperty(
            "Authorization",
            "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
      }
      try (OutputStream body = http.getOutputStream()) {
        body.write(form(form).getBytes(StandardCharsets.UTF_8));
      }
      int status = http.getResponseCode();
      if (status != 200) {
        LOG.info(() -> "the identity provider answered a token request with " + status);
        throw new SignInException(Reason.REFUSED);
      }
      answer = json(http.getInputStream());
    } catch (IOException e) {
      throw new SignInException(Reason.PROVIDER_UNREACHABLE, e);
    } finally {
      if (http != null) {
        http.disconnect();
      }
    }
    String access = string(answer, "access_token");
    if (access == null) {
      throw new SignInException(Reason.REFUSED);
    }
    return new Tokens(access, string(answer, "refresh_token"));
  }

  private Endpoints endpoints() {
    Endpoints known = endpoints;
    if (known != null) {
      return known;
    }
    String issuer = settings.provider().toString().replaceAll("/+$", "");
    URI discovery = URI.create(issuer + "/.well-known/openid-configuration");
    HttpURLConnection http = null;
    try {
      http = open(discovery);
      if (http.getResponseCode() != 200) {
        throw new SignInException(Reason.PROVIDER_UNREACHABLE);
      }
      JsonObject document = json(http.getInputStream());
      String authorization = string(document, "authorization_endpoint");
      String token = string(document, "token_endpoint");
      if (authorization == null || token == null) {
        LOG.warning("the OpenID provider's discovery document names no authorization or token URL");
        throw new SignInException(Reason.PROVIDER_UNREACHABLE);
      }
      known = new Endpoints(URI.create(authorization), URI.create(token));
    } catch (IOException | IllegalArgumentException e) {
      LOG.warning("the OpenID provider's discovery document cannot be read: " + discovery);
      throw new SignInException(Reason.PROVIDER_UNREACHABLE, e);
    } finally {
      if (http != null) {
        http.disconnect();
      }
    }
    endpoints = known;
    return known;
  }

  private static HttpURLConnection open(URI uri) throws IOException {
    HttpURLConnection http = (HttpURLConnection) uri.toURL().openConnection();
    http.setConnectTimeout(TIMEOUT_MS);
    http.setReadTimeout(TIMEOUT_MS);
    http.setInstanceFollowRedirects(false);
    http.setUseCaches(false);
    return http;
  }

  private static JsonObject json(InputStream in) throws IOException {
    try (in) {
      byte[] bytes = in.readNBytes(LONGEST_ANSWER);
      return Jsons.readObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (JsonException | ClassCastException e) {
      throw new IOException("not a JSON object", e);
    }
  }

  private static String string(JsonObject json, String name) {
    return json.get(name) instanceof JsonString value ? value.getString() : null;
  }

  private static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
