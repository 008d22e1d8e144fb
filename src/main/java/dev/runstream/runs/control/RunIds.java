package dev.runstream.runs.control;

import java.security.SecureRandom;

/**
 * Run ids: {@code run_} and 16 random base-62 characters (about 95 bits): URL-safe, unguessable.
 */
final class RunIds {

  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final int LENGTH = 16;

  private final SecureRandom random = new SecureRandom();

  String next() {
    char[] id = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return "run_" + new String(id);
  }
}
