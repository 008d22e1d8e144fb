package dev.runstream.identity.entity;

import java.time.Instant;
import java.util.Set;

/** What a verified token says: whose it is, the groups it names and when it expires. */
public record VerifiedToken(String subject, Set<String> groups, Instant expiresAt) {

  public VerifiedToken {
    groups = Set.copyOf(groups);
  }
}
