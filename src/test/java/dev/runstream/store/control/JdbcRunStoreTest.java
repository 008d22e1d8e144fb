package dev.runstream.store.control;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.runs.control.RunStore;
import dev.runstream.runs.entity.ChatMessage;
import dev.runstream.runs.entity.IdempotencyKey;
import dev.runstream.runs.entity.Ownership;
import dev.runstream.runs.entity.Role;
import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunError;
import dev.runstream.runs.entity.RunEvent;
import dev.runstream.runs.entity.RunRequest;
import dev.runstream.runs.entity.RunStatus;
import dev.runstream.runs.entity.StoredPage;
import dev.runstream.runs.entity.StoredRun;
import dev.runstream.store.entity.StoreSettings;
import jakarta.json.JsonValue;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store on a real H2 file database, as the server keeps it (no container around it). */
class JdbcRunStoreTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Outage outage = new Outage();
  private JdbcRunStore store;
  private DataSource h2;

  @BeforeEach
  void open() {
    Path path = Path.of("target", "store-test", UUID.randomUUID().toString(), "runstream");
    h2 =
        StoreDataSource.connectTo(
            StoreSettings.read(
                key ->
                    key.equals(StoreSettings.PATH)
                        ? Optional.of(path.toString())
                        : Optional.empty()));
    store = new JdbcRunStore();
    store.migrations = new Migrations();
    store.open(outage.around(h2), Thread::new, 4);
  }

  @AfterEach
  void close() {
    store.stop();
  }

  private Run create(String responder, IdempotencyKey key) {
    return Run.create(
        "run_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16),
        new RunRequest(
            List.of(new ChatMessage(Role.USER, "hi")),
            responder,
            null,
            Map.of("k", "v"),
            JsonValue.EMPTY_JSON_OBJECT),
        1000,
        store,
        key);
  }

  private Run owned(String owner, String producerTokenSha256) {
    return Run.create(
        "run_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16),
        new RunRequest(
            List.of(new ChatMessage(Role.USER, "hi")),
            "external",
            null,
            Map.of(),
            JsonValue.EMPTY_JSON_OBJECT),
        1000,
        store,
        null,
        new Ownership(owner, producerTokenSha256));
  }

  private static void awaitCommitted(Run run, long id) {
    await().atMost(WAIT).until(() -> run.lastEventId() >= id);
  }

  @Test
  void appendedEventsAreCommittedInOrderAndReadBackAsTheyWent() {
    Run run = create("external", null);
    run.appendDelta("Hello ");
    run.appendDelta("world");
    RunEvent completed = run.complete();
    awaitCommitted(run, completed.id());

    List<RunEvent> stored = store.read(run.id(), 0, 100);
    assertEquals(
        List.of(
            "run.created", "run.in_progress", "message.delta", "message.delta", "run.completed"),
        stored.stream().map(RunEvent::type).toList());
    assertEquals(completed.json(), stored.get(4).json(), "the envelope as it went out");
    assertEquals(List.of(3L, 4L), store.read(run.id(), 2, 2).stream().map(RunEvent::id).toList());

    StoredRun found = store.find(run.id()).orElseThrow();
    assertEquals(RunStatus.COMPLETED, found.status());
    assertEquals(5, found.lastEventId());
    assertEquals(5, found.json().getInt("last_event_id"));
    assertEquals("Hello world", found.json().getJsonObject("output").getString("content"));
    assertTrue(store.unfinished().stream().noneMatch(r -> r.id().equals(run.id())));
  }

  @Test
  void aRunStillProducingIsUnfinishedWithItsLastCommittedEvent() {
    Run run = create("echo", null);
    RunEvent delta = run.appendDelta("partial");
    awaitCommitted(run, delta.id());
    StoredRun unfinished =
        store.unfinished().stream().filter(r -> r.id().equals(run.id())).findFirst().orElseThrow();
    assertEquals(RunStatus.IN_PROGRESS, unfinished.status());
    assertEquals(3, unfinished.lastEventId());

    Run restored =
        Run.restored(
            run.id(),
            RunRequest.of(unfinished.json()),
            unfinished.createdAt(),
            1000,
            store.read(run.id(), 0, 1000),
            store,
            null);
    RunEvent failed = restored.fail(new RunError("server_restarted", "The server stopped."));
    assertEquals(4, failed.id(), "it goes on from its last event");
    awaitCommitted(restored, 4);
    assertEquals(RunStatus.FAILED, store.find(run.id()).orElseThrow().status());
  }

  @Test
  void pagesAreNewestFirstByStatusAndAfterARun() {
    Run first = create("external", null);
    Run second = create("external", null);
    Run third = create("external", null);
    third.cancel();
    awaitCommitted(third, 2);
    awaitCommitted(second, 1);
    awaitCommitted(first, 1);

    StoredPage newest = store.page(Optional.empty(), 2, null).orElseThrow();
    assertEquals(List.of(third.id(), second.id()), ids(newest));
    assertTrue(newest.hasMore());
    StoredPage older = store.page(Optional.empty(), 2, second.id()).orElseThrow();
    assertEquals(List.of(first.id()), ids(older));
    assertFalse(older.hasMore());
    assertEquals(
        List.of(third.id()), ids(store.page(Optional.of(RunStatus.CANCELLED), 10, null).get()));
    assertTrue(store.page(Optional.empty(), 2, "run_nosuchrun").isEmpty());
    assertEquals(older.data(), store.page(Optional.empty(), 2, newest.next()).orElseThrow().data());
    assertNull(older.next(), "no page after the last");
  }

  @Test
  void aCursorOutlivesTheRunItFollows() {
    Run first = create("external", null);
    Run second = create("external", null);
    second.cancel();
    awaitCommitted(second, 2);
    awaitCommitted(first, 1);

    StoredPage newest = store.page(Optional.empty(), 1, null).orElseThrow();
    assertEquals(List.of(second.id()), ids(newest));
    assertTrue(store.delete(second.id()));
    assertTrue(store.page(Optional.empty(), 1, second.id()).isEmpty(), "the id names nothing now");
    assertEquals(List.of(first.id()), ids(store.page(Optional.empty(), 1, newest.next()).get()));
    for (String notACursor : List.of("cur_", "cur_-5", "cur_!", "cur_" + "z".repeat(14))) {
      assertTrue(store.page(Optional.empty(), 1, notACursor).isEmpty(), notACursor);
    }
  }

  /**
   * A page reads its own rows, not the whole table: H2 reads an index in its own order only, and an
   * ascending index made every page of 100 000 runs scan and sort all of them (0.9 s each). Checked
   * on the plan H2 reports ({@code EXPLAIN ANALYZE}: rows scanned), not on a time.
   */
  @Test
  void aListPageScansItsOwnRowsAndNotTheWholeTable() throws Exception {
    try (var connection = h2.getConnection();
        var fill = connection.createStatement()) {
      fill.executeUpdate(
          "INSERT INTO runs (id, status, responder, created_at, run_json)"
              + " SELECT 'run_' || X, CASE WHEN MOD(X, 2) = 0 THEN 'completed' ELSE 'failed' END,"
              + " 'echo', X, '{}' FROM SYSTEM_RANGE(1, 2000)");
      for (boolean byStatus : new boolean[] {false, true}) {
        try (var explain =
            connection.prepareStatement("EXPLAIN ANALYZE " + JdbcRunStore.pageQuery(byStatus))) {
          int at = 1;
          explain.setLong(at++, 1500);
          if (byStatus) {
            explain.setString(at++, "completed");
          }
          explain.setInt(at, 11);
          assertAPageScansItsOwnRows(explain);
        }
      }
    }
  }

  @Test
  void anOwnersPagesHoldItsRunsOnlyAndAfterAnotherOwnersRunIsNoPage() {
    Run alice1 = owned("alice", null);
    Run bob = owned("bob", null);
    Run alice2 = owned("alice", null);
    Run nobody = create("external", null);
    alice2.cancel();
    for (Run run : List.of(alice1, bob, nobody)) {
      awaitCommitted(run, 1);
    }
    awaitCommitted(alice2, 2);

    assertEquals(
        List.of(alice2.id(), alice1.id()),
        ids(store.page(Optional.empty(), 10, null, "alice").orElseThrow()));
    assertEquals(
        List.of(alice1.id()), ids(store.page(Optional.empty(), 10, alice2.id(), "alice").get()));
    assertEquals(
        List.of(alice2.id()),
        ids(store.page(Optional.of(RunStatus.CANCELLED), 10, null, "alice").get()));
    assertTrue(store.page(Optional.empty(), 10, bob.id(), "alice").isEmpty());
    assertEquals(
        List.of(nobody.id(), alice2.id(), bob.id(), alice1.id()),
        ids(store.page(Optional.empty(), 4, null, null).get()),
        "every run, with no owner given");
    assertEquals("alice", store.find(alice1.id()).orElseThrow().owner());
    assertEquals(null, store.find(nobody.id()).orElseThrow().owner());
  }

  @Test
  void aProducerTokenFindsItsRunByItsHashUntilReplaced() {
    Run run = owned("alice", "a".repeat(64));
    awaitCommitted(run, 1);
    assertEquals(Optional.of(run.id()), store.runOfProducerToken("a".repeat(64)));
    assertTrue(store.runOfProducerToken("b".repeat(64)).isEmpty());
    store.replaceProducerToken(run.id(), "c".repeat(64));
    assertTrue(store.runOfProducerToken("a".repeat(64)).isEmpty(), "the old token is void");
    assertEquals(Optional.of(run.id()), store.runOfProducerToken("c".repeat(64)));
    assertFalse(store.find(run.id()).orElseThrow().json().toString().contains("cccc"));
  }

  /**
   * A run's JSON names its owner as the owner column does, also for a run whose JSON was stored
   * before runs showed their owner (written here as that version wrote it, without the field).
   */
  @Test
  void aStoredRunShowsTheOwnerOfItsOwnerColumn() throws Exception {
    Run alice = owned("alice", null);
    Run nobody = create("echo", null);
    awaitCommitted(alice, 1);
    awaitCommitted(nobody, 1);
    assertEquals("alice", store.find(alice.id()).orElseThrow().json().getString("owner"));
    assertTrue(store.find(nobody.id()).orElseThrow().json().isNull("owner"));

    try (var connection = h2.getConnection();
        var older = connection.prepareStatement("UPDATE runs SET run_json = ? WHERE id = ?")) {
      for (Run run : List.of(alice, nobody)) {
        String json = store.find(run.id()).orElseThrow().json().toString();
        older.setString(1, json.replaceFirst("\"owner\":(null|\"alice\"),", ""));
        older.setString(2, run.id());
        assertEquals(1, older.executeUpdate());
      }
    }
    StoredRun stored = store.find(alice.id()).orElseThrow();
    assertEquals("alice", stored.json().getString("owner"), stored.json().toString());
    assertEquals(
        List.of("alice"),
        store.page(Optional.empty(), 10, null, "alice").get().data().stream()
            .map(run -> run.json().getString("owner"))
            .toList(),
        "in a list too");
    StoredRun none = store.find(nobody.id()).orElseThrow();
    assertTrue(
        none.json().containsKey("owner") && none.json().isNull("owner"), none.json()::toString);
  }

  /** An owner's page reads its own rows too: through the owner's indexes (V3), not the table's. */
  @Test
  void anOwnersListPageScansItsOwnRowsAndNotTheWholeTable() throws Exception {
    try (var connection = h2.getConnection();
        var fill = connection.createStatement()) {
      fill.executeUpdate(
          "INSERT INTO runs (id, status, responder, created_at, run_json, owner)"
              + " SELECT 'run_' || X, CASE WHEN MOD(X, 2) = 0 THEN 'completed' ELSE 'failed' END,"
              + " 'echo', X, '{}', 'user-' || MOD(X, 3) FROM SYSTEM_RANGE(1, 3000)");
      for (boolean byStatus : new boolean[] {false, true}) {
        try (var explain =
            connection.prepareStatement(
                "EXPLAIN ANALYZE " + JdbcRunStore.pageQuery(byStatus, true))) {
          int at = 1;
          explain.setLong(at++, 2500);
          explain.setString(at++, "user-1");
          if (byStatus) {
            explain.setString(at++, "completed");
          }
          explain.setInt(at, 11);
          assertAPageScansItsOwnRows(explain);
        }
      }
    }
  }

  /** At most a page of 10 (and one to see more) scanned, by the plan H2 reports. */
  private static void assertAPageScansItsOwnRows(java.sql.PreparedStatement explain)
      throws java.sql.SQLException {
    try (var plan = explain.executeQuery()) {
      assertTrue(plan.next());
      String text = plan.getString(1);
      var scans = java.util.regex.Pattern.compile("scanCount: (\\d+)").matcher(text);
      int most = 0;
      while (scans.find()) {
        most = Math.max(most, Integer.parseInt(scans.group(1)));
      }
      assertTrue(most > 0, text);
      assertTrue(most <= 12, "a page of 10 (and one to see more) scanned " + most + ": " + text);
    }
  }

  @Test
  void idempotencyKeysAreStoredWithTheirRunAndEvent() {
    Run run = create("external", new IdempotencyKey("create-1", "aaaa"));
    RunEvent delta = run.keyed(new IdempotencyKey("event-1", "bbbb"), () -> run.appendDelta("x"));
    awaitCommitted(run, delta.id());

    RunStore.KeyUse created = store.runCreatedWith("create-1").orElseThrow();
    assertEquals(run.id(), created.runId());
    assertEquals("aaaa", created.fingerprint());
    RunStore.KeyUse posted = store.eventPostedWith(run.id(), "event-1").orElseThrow();
    assertEquals(
        delta.id(), posted.eventId(), "the key is on the posted event, not on in_progress");
    assertTrue(store.eventPostedWith(run.id(), "event-2").isEmpty());
    assertTrue(store.runCreatedWith("create-2").isEmpty());
  }

  @Test
  void deletingARunDeletesItsEventsAndExpiryDeletesOnlyRunsEndedBefore() {
    Run ended = create("external", null);
    awaitCommitted(ended, ended.cancel().id());
    Run running = create("external", null);
    awaitCommitted(running, 1);

    assertEquals(List.of(ended.id()), store.deleteEndedBefore(Instant.now().plusSeconds(1)));
    assertTrue(store.find(ended.id()).isEmpty());
    assertEquals(List.of(), store.read(ended.id(), 0, 10));
    assertTrue(store.find(running.id()).isPresent(), "a run that has not ended stays");
    assertFalse(store.delete(ended.id()), "already gone");
  }

  @Test
  void whileTheDatabaseIsDownAppendsWaitAndAreCommittedInOrderWhenItReturns() {
    Run run = create("external", null);
    awaitCommitted(run, 1);
    outage.down.set(true);
    run.appendDelta("a");
    run.appendDelta("b");
    await().atMost(WAIT).until(() -> !store.available());
    assertEquals(1, run.lastEventId(), "nothing is reported committed that is not");

    outage.down.set(false);
    awaitCommitted(run, 4);
    assertTrue(store.available());
    assertEquals(
        List.of(1L, 2L, 3L, 4L), store.read(run.id(), 0, 10).stream().map(RunEvent::id).toList());
  }

  /**
   * A run that appends a little is not queued behind the backlog of others: the runs take turns in
   * each batch, so the create waits for a turn of each busy run (a few batches of {@value
   * JdbcRunStore#BATCH_LIMIT} events), not for all they have. First come, first served, it came
   * after all 9 000 events.
   */
  @Test
  void aRunThatAppendsALittleIsCommittedAheadOfTheBacklogOfOthers() throws Exception {
    List<Run> busy = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      busy.add(create("external", null));
    }
    busy.forEach(run -> awaitCommitted(run, 1));
    outage.down.set(true);
    for (int i = 0; i < 900; i++) { // within a run's limit of 1 000 events
      for (Run run : busy) {
        run.appendDelta("d" + i);
      }
    }
    await().atMost(WAIT).until(() -> !store.available());
    Run quiet = create("external", null);
    CompletableFuture<Long> busyWhenQuietCommitted =
        quiet
            .whenCommitted(1)
            .thenApply(created -> busy.stream().mapToLong(Run::lastEventId).sum())
            .toCompletableFuture();
    outage.down.set(false);
    long committedFirst = busyWhenQuietCommitted.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(
        committedFirst < 5 * JdbcRunStore.BATCH_LIMIT,
        () -> "events of the busy runs committed before the create: " + committedFirst);
    for (Run run : busy) {
      awaitCommitted(run, 902); // created, in progress, 900 deltas
      assertEquals(902, store.read(run.id(), 0, 1000).size(), "all of it, in the end");
    }
  }

  /**
   * The embedded H2 closes its database itself on a fault it cannot go on from (under attack it
   * failed to allocate a write buffer), and the container's pool still holds connections to it,
   * which it hands out again without testing them. The store opens the database again at their next
   * use, with all that was committed, and goes on: before, it answered 503 until a restart.
   */
  @Test
  void anEmbeddedDatabaseThatClosesItselfIsOpenedAgainWithAllItHad() throws Exception {
    store.stop();
    store = new JdbcRunStore();
    store.migrations = new Migrations();
    store.open(new ContainerPool(h2).dataSource(), Thread::new, 4);
    Run run = create("external", null);
    run.appendDelta("before");
    awaitCommitted(run, 3);
    try (Connection other = h2.getConnection();
        Statement statement = other.createStatement()) {
      statement.execute("SHUTDOWN IMMEDIATELY"); // at once, as H2 closes on a fault
    }
    run.appendDelta("after");
    awaitCommitted(run, 4);
    assertEquals(
        List.of("run.created", "run.in_progress", "message.delta", "message.delta"),
        store.read(run.id(), 0, 10).stream().map(RunEvent::type).toList());
    assertTrue(store.available());
    assertEquals(run.id(), store.find(run.id()).orElseThrow().id(), "and reads go on");
  }

  private static List<String> ids(StoredPage page) {
    return page.data().stream().map(StoredRun::id).toList();
  }

  /**
   * A pool as the containers' are: it keeps the connections it opened (each from {@link
   * StoreDataSource#physical}, as the servers' pools get theirs) and hands them out again, never
   * testing them.
   */
  private static final class ContainerPool {
    private final DataSource driver;
    private final BlockingQueue<Connection> idle = new LinkedBlockingQueue<>();

    ContainerPool(DataSource driver) {
      this.driver = driver;
    }

    DataSource dataSource() {
      return (DataSource)
          Proxy.newProxyInstance(
              DataSource.class.getClassLoader(),
              new Class<?>[] {DataSource.class},
              (proxy, method, args) -> {
                if (!method.getName().equals("getConnection")) {
                  throw new UnsupportedOperationException(method.getName());
                }
                return lease();
              });
    }

    private Connection lease() throws SQLException {
      Connection kept = idle.poll();
      Connection physical = kept != null ? kept : StoreDataSource.physical(driver);
      AtomicBoolean returned = new AtomicBoolean();
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                if (method.getName().equals("close")) {
                  if (returned.compareAndSet(false, true)) {
                    idle.add(physical);
                  }
                  return null;
                }
                try {
                  return method.invoke(physical, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }

  /** A database that can be made unreachable: every new connection fails while it is down. */
  private static final class Outage {
    final AtomicBoolean down = new AtomicBoolean();

    DataSource around(DataSource target) {
      return (DataSource)
          Proxy.newProxyInstance(
              DataSource.class.getClassLoader(),
              new Class<?>[] {DataSource.class},
              (proxy, method, args) -> {
                if (method.getName().equals("getConnection") && down.get()) {
                  throw new SQLTransientConnectionException("the database is down");
                }
                try {
                  return method.invoke(target, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }
}
