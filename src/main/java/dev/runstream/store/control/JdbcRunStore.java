package dev.runstream.store.control;

import dev.runstream.Jsons;
import dev.runstream.runs.control.RunStore;
import dev.runstream.runs.entity.IdempotencyKey;
import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunEvent;
import dev.runstream.runs.entity.RunStatus;
import dev.runstream.runs.entity.StoreUnavailableException;
import dev.runstream.runs.entity.StoredPage;
import dev.runstream.runs.entity.StoredRun;
import dev.runstream.store.entity.StoreSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;

/**
 * The runs and their events in a relational database through JDBC: H2 inside the WAR by default,
 * PostgreSQL when configured (see {@link StoreDataSource}); the schema is Flyway's ({@link
 * Migrations}). Appends are group-committed by {@link GroupCommit}; reads go straight to the
 * database.
 */
@DataSourceDefinition(
    name = StoreDataSource.JNDI_NAME,
    className = "dev.runstream.store.control.StoreDataSource",
    // WildFly refuses a definition with neither url nor properties; StoreDataSource ignores it
    url = "jdbc:h2:mem:unused",
    minPoolSize = 1,
    initialPoolSize = 1,
    maxPoolSize = JdbcRunStore.POOL_CEILING)
@ApplicationScoped
public class JdbcRunStore implements RunStore {

  /**
   * The container pool's ceiling. How many connections the store really uses is {@code
   * chat.store.pool-size} (at most this): the group commit's one, and readers.
   */
  static final int POOL_CEILING = 64;

  private static final Logger LOG = Logger.getLogger(JdbcRunStore.class.getName());

  /** Events one transaction commits at most. */
  static final int BATCH_LIMIT = 1000;

  /** The column of {@link #pageQuery(boolean, boolean)} after {@link #RUN_COLUMNS}. */
  private static final int PAGE_SEQ_COLUMN = 9;

  private static final String RUN_COLUMNS =
      "id, responder, status,"
          + " (SELECT MAX(e.id) FROM run_events e WHERE e.run_id = runs.id) AS last_event_id,"
          + " created_at, completed_at, run_json, owner";

  @Resource(lookup = StoreDataSource.JNDI_NAME)
  DataSource dataSource;

  @Resource ManagedThreadFactory threads;

  @Inject Migrations migrations;

  @Inject Config config;

  private GroupCommit commits;
  private Semaphore readers;

  @PostConstruct
  void start() {
    StoreSettings settings = StoreSettings.read(key -> config.getOptionalValue(key, String.class));
    LOG.info(
        "runs are kept in "
            + settings.where()
            + ", with at most "
            + settings.poolSize()
            + " connections");
    open(dataSource, threads, settings.poolSize());
  }

  /** Brings the schema up to date, then takes appends; {@code poolSize} connections at most. */
  void open(DataSource database, ThreadFactory writerThreads, int poolSize) {
    this.dataSource = database;
    this.readers = new Semaphore(Math.max(1, Math.min(POOL_CEILING, poolSize) - 1), true);
    migrations.apply(database);
    commits = new GroupCommit(database, writerThreads, BATCH_LIMIT);
  }

  /** Commits what is waiting (a second at most), then stops. */
  @PreDestroy
  void stop() {
    commits.stop(1000);
  }

  @Override
  public void append(Run run, RunEvent event, IdempotencyKey key) {
    commits.add(new GroupCommit.Entry(run, event, key));
  }

  @Override
  public boolean available() {
    return commits.available();
  }

  @Override
  public List<RunEvent> read(String runId, long afterId, int max) {
    return query(
        "SELECT json FROM run_events WHERE run_id = ? AND id > ? ORDER BY id FETCH FIRST ? ROWS"
            + " ONLY",
        statement -> {
          statement.setString(1, runId);
          statement.setLong(2, afterId);
          statement.setInt(3, max);
        },
        rows -> {
          List<RunEvent> events = new ArrayList<>();
          while (rows.next()) {
            events.add(RunEvent.parse(rows.getString(1)));
          }
          return events;
        });
  }

  @Override
  public Optional<StoredRun> find(String runId) {
    return query(
        "SELECT " + RUN_COLUMNS + " FROM runs WHERE id = ?",
        statement -> statement.setString(1, runId),
        rows -> rows.next() ? Optional.of(run(rows)) : Optional.empty());
  }

  @Override
  public Optional<StoredPage> page(
      Optional<RunStatus> status, int limit, String afterId, String owner) {
    long before = Long.MAX_VALUE;
    if (StoredPage.isCursor(afterId)) {
      OptionalLong place = StoredPage.seqOf(afterId);
      if (place.isEmpty()) {
        return Optional.empty();
      }
      before = place.getAsLong();
    } else if (afterId != null) {
      Optional<Long> seq =
          query(
              "SELECT seq FROM runs WHERE id = ?" + (owner == null ? "" : " AND owner = ?"),
              statement -> {
                statement.setString(1, afterId);
                if (owner != null) {
                  statement.setString(2, owner);
                }
              },
              rows -> rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty());
      if (seq.isEmpty()) {
        return Optional.empty();
      }
      before = seq.get();
    }
    long below = before;
    List<StoredRun> runs = new ArrayList<>();
    long[] lastOfPage = {0}; // the seq of the page's last run, where the next page begins
    query(
        pageQuery(status.isPresent(), owner != null),
        statement -> {
          int at = 1;
          statement.setLong(at++, below);
          if (owner != null) {
            statement.setString(at++, owner);
          }
          if (status.isPresent()) {
            statement.setString(at++, status.get().wire());
          }
          statement.setInt(at, limit + 1);
        },
        rows -> {
          while (rows.next()) {
            runs.add(run(rows));
            if (runs.size() == limit) {
              lastOfPage[0] = rows.getLong(PAGE_SEQ_COLUMN);
            }
          }
          return runs;
        });
    boolean more = runs.size() > limit;
    return Optional.of(
        more
            ? new StoredPage(runs.subList(0, limit), true, StoredPage.cursor(lastOfPage[0]))
            : new StoredPage(runs, false, null));
  }

  /**
   * A list page: runs below a {@code seq} (and of a status), newest first, at most a given number.
   * It orders by the index's own order (V2), so that H2 reads the page's rows and no others.
   */
  static String pageQuery(boolean byStatus) {
    return pageQuery(byStatus, false);
  }

  /**
   * A list page as {@link #pageQuery(boolean)}, of one owner's runs ({@code byOwner}: parameters
   * seq, owner, status if {@code byStatus}, the number), ordered by the owner's indexes (V3).
   */
  static String pageQuery(boolean byStatus, boolean byOwner) {
    return "SELECT "
        + RUN_COLUMNS
        + ", seq FROM runs WHERE seq < ?"
        + (byOwner ? " AND owner = ?" : "")
        + (byStatus ? " AND status = ?" : "")
        + " ORDER BY "
        + (byOwner ? "owner, " : "")
        + (byStatus ? "status, " : "")
        + "seq DESC FETCH FIRST ? ROWS ONLY";
  }

  @Override
  public Optional<String> runOfProducerToken(String sha256) {
    return query(
        "SELECT id FROM runs WHERE producer_token_sha256 = ?",
        statement -> statement.setString(1, sha256),
        rows -> rows.next() ? Optional.of(rows.getString(1)) : Optional.empty());
  }

  /** A write, but one that may be repeated: the last token given wins either way. */
  @Override
  public void replaceProducerToken(String runId, String sha256) {
    update(
        "UPDATE runs SET producer_token_sha256 = ? WHERE id = ?",
        statement -> {
          statement.setString(1, sha256);
          statement.setString(2, runId);
        });
  }

  @Override
  public boolean delete(String runId) {
    return update("DELETE FROM runs WHERE id = ?", statement -> statement.setString(1, runId)) > 0;
  }

  @Override
  public List<String> deleteEndedBefore(Instant cutoff) {
    List<String> expired =
        query(
            "SELECT id FROM runs WHERE completed_at < ? ORDER BY completed_at FETCH FIRST 1000"
                + " ROWS ONLY",
            statement -> statement.setLong(1, cutoff.toEpochMilli()),
            rows -> {
              List<String> ids = new ArrayList<>();
              while (rows.next()) {
                ids.add(rows.getString(1));
              }
              return ids;
            });
    List<String> deleted = new ArrayList<>();
    for (String runId : expired) {
      if (delete(runId)) {
        deleted.add(runId);
      }
    }
    return deleted;
  }

  @Override
  public List<StoredRun> unfinished() {
    return query(
        "SELECT " + RUN_COLUMNS + " FROM runs WHERE completed_at IS NULL ORDER BY seq",
        statement -> {},
        rows -> {
          List<StoredRun> runs = new ArrayList<>();
          while (rows.next()) {
            runs.add(run(rows));
          }
          return runs;
        });
  }

  @Override
  public Optional<KeyUse> runCreatedWith(String key) {
    return query(
        "SELECT id, body_sha256 FROM runs WHERE idempotency_key = ?",
        statement -> statement.setString(1, key),
        rows ->
            rows.next()
                ? Optional.of(new KeyUse(rows.getString(1), 1, rows.getString(2)))
                : Optional.empty());
  }

  @Override
  public Optional<KeyUse> eventPostedWith(String runId, String key) {
    return query(
        "SELECT id, body_sha256 FROM run_events WHERE run_id = ? AND idempotency_key = ?",
        statement -> {
          statement.setString(1, runId);
          statement.setString(2, key);
        },
        rows ->
            rows.next()
                ? Optional.of(new KeyUse(runId, rows.getLong(1), rows.getString(2)))
                : Optional.empty());
  }

  private static StoredRun run(ResultSet row) throws SQLException {
    long lastEventId = row.getLong(4);
    long completedAt = row.getLong(6);
    Instant completed = row.wasNull() ? null : Instant.ofEpochMilli(completedAt);
    String owner = row.getString(8);
    return new StoredRun(
        row.getString(1),
        row.getString(2),
        RunStatus.fromWire(row.getString(3)).orElseThrow(),
        lastEventId,
        Instant.ofEpochMilli(row.getLong(5)),
        completed,
        json(row.getString(7), owner, lastEventId),
        owner);
  }

  /**
   * The run's JSON as stored, with its owner as the owner column says (the JSON of a run stored
   * before runs showed their owner has none) and its last event's id.
   */
  private static JsonObject json(String stored, String owner, long lastEventId) {
    JsonObjectBuilder json = Jsons.object(Jsons.readObject(stored));
    if (owner == null) {
      json.addNull("owner");
    } else {
      json.add("owner", owner);
    }
    return json.add("last_event_id", lastEventId).build();
  }

  /**
   * Runs a query; once more on a new connection if the first one turns out dead (the database
   * restarted since it was opened: the pool does not test connections). Reads are safe to repeat.
   */
  private <T> T query(String sql, Parameters parameters, Rows<T> rows) {
    return once(
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql)) {
            parameters.set(statement);
            try (ResultSet result = statement.executeQuery()) {
              return rows.read(result);
            }
          }
        });
  }

  /** An update that is safe to repeat (a delete), with the same second chance. */
  private int update(String sql, Parameters parameters) {
    return once(
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql)) {
            parameters.set(statement);
            return statement.executeUpdate();
          }
        });
  }

  /**
   * Runs {@code work} on a pooled connection. After the database restarted, every connection in the
   * pool is dead, and each fails once (then it reconnects on its next use, see {@link
   * Reconnecting}); so a connection error is tried again, on the next connection, as often as the
   * pool may hold dead ones.
   */
  private <T> T once(Work<T> work) {
    reader();
    try {
      for (int attempt = 1; ; attempt++) {
        try (Connection connection = dataSource.getConnection()) {
          return work.on(connection);
        } catch (SQLException e) {
          if (!ConnectionLoss.is(e) || attempt > POOL_CEILING) {
            throw e;
          }
        }
      }
    } catch (SQLException e) {
      throw new StoreUnavailableException("the store could not be reached", e);
    } finally {
      readers.release();
    }
  }

  /** One of the connections readers may use; the group commit keeps one of its own. */
  private void reader() {
    try {
      readers.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted waiting for a connection", e);
    }
  }

  @FunctionalInterface
  private interface Work<T> {
    T on(Connection connection) throws SQLException;
  }

  @FunctionalInterface
  private interface Parameters {
    void set(PreparedStatement statement) throws SQLException;
  }

  @FunctionalInterface
  private interface Rows<T> {
    T read(ResultSet rows) throws SQLException;
  }
}
