package dev.runstream.runs.control;

import dev.runstream.runs.entity.EventReader;
import dev.runstream.runs.entity.IdempotencyKey;
import dev.runstream.runs.entity.Journal;
import dev.runstream.runs.entity.RunStatus;
import dev.runstream.runs.entity.StoredPage;
import dev.runstream.runs.entity.StoredRun;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where runs and their events are kept, durably. The runs core knows only this; which database is
 * behind it is the store's business. It is the runs' {@link Journal} (appended events in, committed
 * ones reported back to their run) and their {@link EventReader}. Any call may throw {@link
 * dev.runstream.runs.entity.StoreUnavailableException} while the database cannot be reached.
 */
public interface RunStore extends Journal, EventReader {

  Optional<StoredRun> find(String runId);

  /**
   * Runs newest first, optionally of one status, after the run {@code afterId} (null: from the
   * newest); empty if {@code afterId} names no stored run.
   */
  default Optional<StoredPage> page(Optional<RunStatus> status, int limit, String afterId) {
    return page(status, limit, afterId, null);
  }

  /**
   * As {@link #page(Optional, int, String)}, of the runs of {@code owner} only (null: every run);
   * empty too if {@code afterId} is a run of another owner.
   */
  Optional<StoredPage> page(Optional<RunStatus> status, int limit, String afterId, String owner);

  /** The run whose producer token has this SHA-256, if any. */
  Optional<String> runOfProducerToken(String sha256);

  /** Gives the run a new producer token (its SHA-256): the one it had no longer works. */
  void replaceProducerToken(String runId, String sha256);

  /** Deletes an ended run and its events; false if there is no such run. */
  boolean delete(String runId);

  /** Deletes the runs that ended before {@code cutoff}, with their events; their ids. */
  List<String> deleteEndedBefore(Instant cutoff);

  /** Runs whose terminal event is not stored: they were producing when the server stopped. */
  List<StoredRun> unfinished();

  /** The run created with this idempotency key, and the fingerprint of the body that created it. */
  Optional<KeyUse> runCreatedWith(String key);

  /** The event of a run posted with this idempotency key, and the fingerprint of its body. */
  Optional<KeyUse> eventPostedWith(String runId, String key);

  /** Whether the last write reached the database. */
  boolean available();

  /**
   * What an idempotency key was used for: a run's id (and event id), and the body's fingerprint.
   */
  record KeyUse(String runId, long eventId, String fingerprint) {
    public boolean matches(IdempotencyKey key) {
      return fingerprint.equals(key.fingerprint());
    }
  }
}
