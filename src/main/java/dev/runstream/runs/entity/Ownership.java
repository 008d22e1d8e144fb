package dev.runstream.runs.entity;

/**
 * Whose a run is: its owner's subject (null for a run made with identity off, which only
 * administrators see once identity is on), and the SHA-256 of its producer token (null for a run
 * that takes no producer's events). The token itself is never kept.
 */
public record Ownership(String owner, String producerTokenSha256) {

  public static final Ownership NONE = new Ownership(null, null);
}
