package dev.runstream.identity.control;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys tokens are verified with, from MicroProfile JWT's settings: text that is PEM (public
 * keys or certificates, one or more), a JWK, a JWK set, or base64 of a key's DER; or the location
 * of such text (a file, a {@code classpath:} resource, a path that names either, or an http(s) URL
 * of a JWK set, which nimbus fetches, caches and refreshes).
 */
public final class Keys {

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]*)-----END \\1-----");

  private Keys() {}

  /** The keys in {@code text}; throws {@link IllegalArgumentException} if it holds none. */
  public static JWKSet parse(String text) {
    String trimmed = text.trim();
    try {
      if (trimmed.startsWith("{")) {
        return trimmed.contains("\"keys\"")
            ? JWKSet.parse(trimmed)
            : new JWKSet(JWK.parse(trimmed));
      }
      if (trimmed.startsWith("-----BEGIN")) {
        return pem(trimmed);
      }
      return new JWKSet(jwk(publicKey(Base64.getMimeDecoder().decode(trimmed))));
    } catch (ParseException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the public key is neither PEM, a JWK, a JWK set nor base64 DER of a public key", e);
    }
  }

  /**
   * How long fetching a JWK set may take to connect, and then to read. nimbus's own default, 500
   * ms, failed the first fetch from a provider that was slow to answer once on a busy machine
   * (SignedInPageIT: "Read timed out", a 503 to a valid token).
   */
  private static final int FETCH_TIMEOUT_MS = 5000;

  private static final int LARGEST_KEY_SET = 512 * 1024;

  /**
   * The key source of the settings: the text, or what the location holds. A JWK set URL is fetched
   * when first needed, cached, refreshed by nimbus, and retried once on a network error.
   */
  public static JWKSource<SecurityContext> source(String text, String location) {
    if (text != null) {
      return new ImmutableJWKSet<>(parse(text));
    }
    if (location.startsWith("https://") || location.startsWith("http://")) {
      try {
        return JWKSourceBuilder.create(
                URI.create(location).toURL(),
                new DefaultResourceRetriever(FETCH_TIMEOUT_MS, FETCH_TIMEOUT_MS, LARGEST_KEY_SET))
            .retrying(true)
            .build();
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("the key location is not a URL", e);
      }
    }
    return new ImmutableJWKSet<>(parse(read(location)));
  }

  /** A file ({@code file:} URL or path) or a {@code classpath:} resource, or a path of either. */
  static String read(String location) {
    try {
      if (location.startsWith("classpath:")) {
        return resource(location.substring("classpath:".length()));
      }
      if (location.startsWith("file:")) {
        return Files.readString(Path.of(URI.create(location)), StandardCharsets.UTF_8);
      }
      Path file = Path.of(location);
      if (Files.isRegularFile(file)) {
        return Files.readString(file, StandardCharsets.UTF_8);
      }
      return resource(location);
    } catch (IOException e) {
      throw new IllegalArgumentException("the key location cannot be read", e);
    }
  }

  private static String resource(String name) throws IOException {
    String path = name.startsWith("/") ? name.substring(1) : name;
    URL url = Thread.currentThread().getContextClassLoader().getResource(path);
    if (url == null) {
      url = Keys.class.getClassLoader().getResource(path);
    }
    if (url == null) {
      throw new IOException("no such file or resource");
    }
    try (InputStream in = url.openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static JWKSet pem(String text) throws GeneralSecurityException {
    List<JWK> keys = new ArrayList<>();
    Matcher block = PEM.matcher(text);
    while (block.find()) {
      byte[] der = Base64.getMimeDecoder().decode(block.group(2).trim());
      PublicKey key =
          switch (block.group(1)) {
            case "PUBLIC KEY" -> publicKey(der);
            case "CERTIFICATE" ->
                CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der))
                    .getPublicKey();
            default ->
                throw new IllegalArgumentException("PEM " + block.group(1) + " is no public key");
          };
      keys.add(jwk(key));
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no PEM block");
    }
    return new JWKSet(keys);
  }

  /** An X.509 SubjectPublicKeyInfo: RSA, else EC. */
  private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
    X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
    try {
      return KeyFactory.getInstance("RSA").generatePublic(spec);
    } catch (GeneralSecurityException notRsa) {
      return KeyFactory.getInstance("EC").generatePublic(spec);
    }
  }

  private static JWK jwk(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return new RSAKey.Builder(rsa).build();
    }
    if (key instanceof ECPublicKey ec) {
      return new ECKey.Builder(com.nimbusds.jose.jwk.Curve.forECParameterSpec(ec.getParams()), ec)
          .build();
    }
    throw new IllegalArgumentException("neither an RSA nor an EC key");
  }
}
