package dev.runstream.runs.entity;

/**
 * Where a run's events go to be made durable. A run hands over each event as it appends it, in the
 * run's order; the journal commits it, then calls {@link Run#committed(long)}. Only then do clients
 * see it: a subscriber reads the committed events only, and a producer's {@code POST} is answered
 * once its event is committed.
 */
public interface Journal {

  /**
   * Takes {@code event}, just appended to {@code run} (under the run's lock). {@code key}, if not
   * null, is the idempotency key of the request that caused it, to be stored with it.
   */
  void append(Run run, RunEvent event, IdempotencyKey key);

  /** Commits at once, in memory: for runs that need no store (unit tests). */
  Journal IN_MEMORY = (run, event, key) -> run.committed(event.id());
}
