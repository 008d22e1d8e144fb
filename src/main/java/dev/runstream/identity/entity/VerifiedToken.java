package dev.runstream.identity.entity;

import java.util.Set;

/** What a verified token says: whose it is and the groups it names. */
public record VerifiedToken(String subject, Set<String> groups) {

  public VerifiedToken {
    groups = Set.copyOf(groups);
  }
}
