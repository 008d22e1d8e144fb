package dev.runstream.runs.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Producer tokens: 32 random bytes, base64url without padding (43 characters, never a dot, so never
 * mistaken for a JWT). Only their SHA-256 is kept: a token is shown once, when it is made.
 */
public final class ProducerTokens {

  private static final int BYTES = 32;

  private final SecureRandom random = new SecureRandom();

  /** A new token, and the hash the store keeps of it. */
  public Minted mint() {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return new Minted(token, sha256(token));
  }

  /** The hash the store keeps of {@code token} (hex). */
  public static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Whether {@code token} has a producer token's shape (not whether it is any run's). */
  public static boolean looksLikeOne(String token) {
    return token.length() == 43 && token.chars().allMatch(ProducerTokens::base64url);
  }

  private static boolean base64url(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }

  /** A token and its hash; {@link #toString()} never shows the token. */
  public record Minted(String token, String sha256) {
    @Override
    public String toString() {
      return "producer token " + sha256.substring(0, 8) + "…";
    }
  }
}
