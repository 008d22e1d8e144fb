package dev.runstream.store.control;

import dev.runstream.runs.entity.IdempotencyKey;
import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Commits appended events in batches: one thread takes the events waiting (up to a number and a
 * size), writes them and their runs' rows in one transaction, commits, and only then tells each run
 * up to which event it is committed. So a burst from many runs costs one commit, and nothing is
 * reported committed that is not. A batch that fails (the database is gone) is retried, in order,
 * until it commits; meanwhile the store reports itself unavailable, and new writes are refused.
 *
 * <p>The runs take turns: a batch takes a turn of each run that has events waiting ({@link
 * #TURN_CHARS} of them, or one), then a second turn of each, and so on, each run's events in their
 * order, and a run served goes behind the others. So a run that appends a little waits for one turn
 * of each run ahead of it, not for all they have waiting: first come, first served, a create waited
 * behind the megabytes of every run ahead of it, and under attack nearly every create outlived its
 * commit timeout.
 */
final class GroupCommit {

  private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());
  private static final long FIRST_RETRY_MS = 100;
  private static final long LONGEST_RETRY_MS = 2000;

  /**
   * The characters of events one transaction takes at most (but always one event): a burst of large
   * events is several moderate commits, not one that the database must buffer whole (the embedded
   * H2 failed to allocate its 79 MB write buffer for one under attack, and closed itself).
   */
  static final long BATCH_CHARS = 4L << 20;

  /**
   * The characters of a run's events one turn takes at most (but always one event): enough for a
   * producer's post of a hundred small events, so that a post is committed in one batch, not a
   * tenth of it in each of ten (one event a turn cut the appends benchmark's rate by a seventh).
   */
  static final long TURN_CHARS = 32L << 10;

  /** One appended event, with the idempotency key of its request (may be null). */
  record Entry(Run run, RunEvent event, IdempotencyKey key) {}

  private final DataSource dataSource;
  private final int batchLimit;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();

  /** The runs with events waiting, in the order of their turns, each with its events in order. */
  private final LinkedHashMap<Run, ArrayDeque<Entry>> waiting = new LinkedHashMap<>();

  private final Thread writer;
  private volatile boolean available = true;
  private volatile boolean running = true;

  GroupCommit(DataSource dataSource, ThreadFactory threads, int batchLimit) {
    this.dataSource = dataSource;
    this.batchLimit = batchLimit;
    this.writer = threads.newThread(this::commitUntilStopped);
    writer.setName("runstream-group-commit");
    writer.start();
  }

  void add(Entry entry) {
    lock.lock();
    try {
      waiting.computeIfAbsent(entry.run(), run -> new ArrayDeque<>()).add(entry);
      arrived.signal();
    } finally {
      lock.unlock();
    }
  }

  boolean available() {
    return available;
  }

  /** Commits what is waiting for at most {@code drainMs}, then stops. */
  void stop(long drainMs) {
    running = false;
    try {
      writer.join(drainMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writer.interrupt();
  }

  private void commitUntilStopped() {
    List<Entry> batch = new ArrayList<>();
    while (running || hasWaiting()) {
      try {
        take(batch);
        if (!batch.isEmpty()) {
          commitWithRetries(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "a batch of " + batch.size() + " events was not committed", e);
      } finally {
        batch.clear();
      }
    }
  }

  private boolean hasWaiting() {
    lock.lock();
    try {
      return !waiting.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Fills {@code batch} with the next events, the runs in turn, within {@code batchLimit} events
   * and {@link #BATCH_CHARS} characters (but always one event); waits up to 100 ms for a first.
   */
  private void take(List<Entry> batch) throws InterruptedException {
    lock.lock();
    try {
      if (waiting.isEmpty()) {
        arrived.await(100, TimeUnit.MILLISECONDS);
      }
      long chars = 0;
      while (!waiting.isEmpty()) {
        for (Run run : new ArrayList<>(waiting.keySet())) { // one round: a turn of each run
          ArrayDeque<Entry> events = waiting.get(run);
          long turn = 0;
          boolean full = false;
          while (!events.isEmpty()) {
            long size = events.peek().event().json().length();
            full = batch.size() >= batchLimit || (!batch.isEmpty() && chars + size > BATCH_CHARS);
            if (full || (turn > 0 && turn + size > TURN_CHARS)) {
              break;
            }
            batch.add(events.poll());
            chars += size;
            turn += size;
          }
          if (turn > 0) {
            waiting.remove(run);
            if (!events.isEmpty()) {
              waiting.put(run, events); // behind the others
            }
          }
          if (full) {
            return; // a run not served keeps its place, ahead of those just served
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void commitWithRetries(List<Entry> batch) throws InterruptedException {
    long retryMs = FIRST_RETRY_MS;
    while (true) {
      try {
        commit(batch);
        if (!available) {
          LOG.info("the store is reachable again");
        }
        available = true;
        break;
      } catch (SQLException e) {
        if (available) {
          LOG.log(Level.WARNING, "the store is unreachable; writes wait and are retried", e);
        }
        available = false;
        if (!running && writer.isInterrupted()) {
          return;
        }
        TimeUnit.MILLISECONDS.sleep(retryMs); // the database is gone: wait before the next try
        retryMs = Math.min(LONGEST_RETRY_MS, retryMs * 2);
      }
    }
    Map<Run, Long> committed = new LinkedHashMap<>();
    batch.forEach(entry -> committed.put(entry.run(), entry.event().id()));
    committed.forEach(Run::committed);
  }

  private void commit(List<Entry> batch) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        write(connection, batch);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /**
   * The runs created in the batch, then every event, then the rows of the runs whose state an event
   * changed (in progress, ended); a plain event changes no row but its own.
   */
  private static void write(Connection connection, List<Entry> batch) throws SQLException {
    Map<String, Entry> lastStateOfRun = new LinkedHashMap<>();
    try (PreparedStatement runs =
            connection.prepareStatement(
                "INSERT INTO runs (id, status, responder, created_at, completed_at,"
                    + " run_json, idempotency_key, body_sha256, owner, producer_token_sha256)"
                    + " VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)");
        PreparedStatement events =
            connection.prepareStatement(
                "INSERT INTO run_events (run_id, id, type, json, idempotency_key, body_sha256)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
      boolean created = false;
      for (Entry entry : batch) {
        RunEvent event = entry.event();
        if (event.type().equals(RunEvent.RUN_CREATED)) {
          runs.setString(1, event.runId());
          runs.setString(2, event.data().getString("status"));
          runs.setString(3, event.data().getString("responder"));
          runs.setLong(4, entry.run().createdAt().toEpochMilli());
          runs.setString(5, event.data().toString());
          setKey(runs, 6, entry.key());
          runs.setString(8, entry.run().ownership().owner());
          runs.setString(9, entry.run().ownership().producerTokenSha256());
          runs.addBatch();
          created = true;
        } else if (isState(event)) {
          lastStateOfRun.put(event.runId(), entry);
        }
        events.setString(1, event.runId());
        events.setLong(2, event.id());
        events.setString(3, event.type());
        events.setString(4, event.json());
        setKey(events, 5, entry.key());
        events.addBatch();
      }
      if (created) {
        runs.executeBatch();
      }
      events.executeBatch();
    }
    if (!lastStateOfRun.isEmpty()) {
      updateStates(connection, lastStateOfRun.values());
    }
  }

  private static void updateStates(Connection connection, Iterable<Entry> states)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE runs SET status = ?, completed_at = ?, run_json = ? WHERE id = ?")) {
      for (Entry state : states) {
        RunEvent event = state.event();
        update.setString(1, event.data().getString("status"));
        if (event.terminal()) {
          update.setLong(2, event.createdAt().toEpochMilli());
        } else {
          update.setNull(2, java.sql.Types.BIGINT);
        }
        update.setString(3, event.data().toString());
        update.setString(4, event.runId());
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  /** {@code run.*} events whose data is the run itself: created, in progress, ended. */
  private static boolean isState(RunEvent event) {
    return event.type().equals(RunEvent.RUN_IN_PROGRESS) || event.terminal();
  }

  private static void setKey(PreparedStatement statement, int at, IdempotencyKey key)
      throws SQLException {
    if (key == null) {
      statement.setNull(at, java.sql.Types.VARCHAR);
      statement.setNull(at + 1, java.sql.Types.VARCHAR);
    } else {
      statement.setString(at, key.key());
      statement.setString(at + 1, key.fingerprint());
    }
  }
}
