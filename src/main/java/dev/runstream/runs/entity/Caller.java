package dev.runstream.runs.entity;

import java.security.Principal;

/**
 * Who makes a request, as far as runs care: a user (the subject of a verified token, an
 * administrator or not), the producer of one run (it holds that run's producer token), or, with
 * identity off, {@link #ANYONE}, who may do everything, as before identity existed. Whoever
 * verifies the request (the identity feature) makes the caller; the runs core only asks it what it
 * may do.
 *
 * @param subject the user, the owner of the runs it creates, and whose runs per minute and open
 *     streams are limited (administrators too); null for a producer and for {@link #ANYONE} (their
 *     runs have no owner, and no per-user limit applies to them)
 * @param admin whether it sees and manages every run (and reads the stats)
 * @param producerOf the one run a producer may post events to; null for users
 */
public record Caller(String subject, boolean admin, String producerOf) implements Principal {

  /** Identity off: every request may do everything, and runs have no owner. */
  public static final Caller ANYONE = new Caller(null, true, null);

  public static Caller user(String subject, boolean admin) {
    if (subject == null || subject.isEmpty()) {
      throw new IllegalArgumentException("a user has a subject");
    }
    return new Caller(subject, admin, null);
  }

  /** The holder of the producer token of the run {@code runId}. */
  public static Caller producer(String runId) {
    return new Caller(null, false, runId);
  }

  public boolean isProducer() {
    return producerOf != null;
  }

  /** Whether it may see and change the run {@code runId}, owned by {@code owner} (may be null). */
  public boolean mayAccess(String runId, String owner) {
    if (isProducer()) {
      return producerOf.equals(runId);
    }
    return admin || (subject != null && subject.equals(owner));
  }

  /** Whose runs a list shows: null for every run (an administrator, or identity off). */
  public String listedOwner() {
    return admin ? null : subject;
  }

  /** Refuses anyone but an administrator (or anyone at all with identity off). */
  public void requireAdmin() {
    if (!admin) {
      throw new NotAdminException();
    }
  }

  /** Never the token: a name for logs and {@link Principal}. */
  @Override
  public String getName() {
    if (isProducer()) {
      return "producer of " + producerOf;
    }
    return subject == null ? "anyone" : subject;
  }
}
