package dev.runstream.store.boundary;

import static java.time.Duration.ofSeconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.runs.control.RunRegistry;
import dev.runstream.runs.entity.Caller;
import dev.runstream.runs.entity.ChatMessage;
import dev.runstream.runs.entity.Role;
import dev.runstream.runs.entity.RunRequest;
import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.EveryStreamClosed;
import dev.runstream.testing.Heap;
import dev.runstream.testing.RawStream;
import dev.runstream.testing.Received;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store seen through the API: writes once per idempotency key, whatever the retries, and ended
 * runs kept in the store rather than in memory.
 */
@ExtendWith(ArquillianExtension.class)
@ExtendWith(EveryStreamClosed.class)
public class StoreIT {

  private static final Logger LOG = Logger.getLogger(StoreIT.class.getName());
  private static final Duration WAIT = ofSeconds(20);
  private static final String KEY = "Idempotency-Key";
  private static final String CREATE =
      "{\"responder\":\"external\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Deployment
  public static WebArchive deployment() {
    // the heap measured here is the run path's: H2's page cache (16 MiB by default) fills as the
    // database grows, so it is kept small enough to be full after the warm-up
    return Deployments.war(Map.of("chat.store.h2-cache-kb", "1024"));
  }

  @ArquillianResource URL deployment;

  @Inject RunRegistry runs;

  @Test
  @RunAsClient
  public void aCreateRetriedWithItsKeyGetsTheOriginalAnswerAndNoSecondRun() {
    try (Api api = new Api(deployment)) {
      String key = "create-" + System.nanoTime();
      JsonObject first;
      try (Response created = keyed(api.runs(), key, CREATE)) {
        assertEquals(201, created.getStatus());
        assertNull(created.getHeaderString("Idempotent-Replayed"));
        first = Api.json(created);
      }
      try (Response retried = keyed(api.runs(), key, CREATE)) {
        assertEquals(201, retried.getStatus());
        assertEquals("true", retried.getHeaderString("Idempotent-Replayed"));
        assertEquals(
            Api.withoutProducerToken(first),
            Api.withoutProducerToken(Api.json(retried)),
            "the original answer (with a new producer token)");
        assertTrue(retried.getLocation().toString().endsWith(first.getString("id")));
      }
      assertEquals(1, count(api, first.getString("id")), "one run");
      api.publish(first.getString("id"), "run.cancelled");
    }
  }

  @Test
  @RunAsClient
  public void concurrentCreatesWithOneKeyMakeOneRun() throws Exception {
    try (Api api = new Api(deployment)) {
      String key = "together-" + System.nanoTime();
      Set<String> ids = ConcurrentHashMap.newKeySet();
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        all.add(
            CompletableFuture.runAsync(
                () -> {
                  try (Response created = keyed(api.runs(), key, CREATE)) {
                    assertEquals(201, created.getStatus());
                    ids.add(Api.json(created).getString("id"));
                  }
                }));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
      assertEquals(1, ids.size(), "every one got the same run: " + ids);
      api.publish(ids.iterator().next(), "run.cancelled");
    }
  }

  @Test
  @RunAsClient
  public void aKeyReusedWithAnotherBodyAnswers422AndChangesNothing() {
    try (Api api = new Api(deployment)) {
      String key = "reused-" + System.nanoTime();
      String id;
      try (Response created = keyed(api.runs(), key, CREATE)) {
        id = Api.json(created).getString("id");
      }
      try (Response other =
          keyed(api.runs(), key, CREATE.replace("\"hi\"", "\"something else\""))) {
        assertEquals(422, other.getStatus());
        assertEquals(
            "urn:runstream:problem:idempotency-key-reused", Api.json(other).getString("type"));
      }
      try (Response event = keyed(api.events(id), "e-" + key, "{\"type\":\"note\"}")) {
        assertEquals(201, event.getStatus());
      }
      try (Response other = keyed(api.events(id), "e-" + key, "{\"type\":\"other\"}")) {
        assertEquals(422, other.getStatus());
      }
      assertEquals(3, api.get(id).getInt("last_event_id"), "created, in progress, one note");
      api.publish(id, "run.cancelled");
    }
  }

  @Test
  @RunAsClient
  public void anEventPostedTwiceWithItsKeyIsAppendedOnce() throws Exception {
    try (Api api = new Api(deployment)) {
      String id = api.external().getString("id");
      String body = "{\"type\":\"message.delta\",\"data\":{\"delta\":\"once\"}}";
      long first;
      try (Response posted = keyed(api.events(id), "delta-1", body)) {
        assertEquals(201, posted.getStatus());
        first = Api.json(posted).getJsonNumber("id").longValueExact();
      }
      Set<Long> retried = ConcurrentHashMap.newKeySet();
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        all.add(
            CompletableFuture.runAsync(
                () -> {
                  try (Response again = keyed(api.events(id), "delta-1", body)) {
                    assertEquals(201, again.getStatus());
                    assertEquals("true", again.getHeaderString("Idempotent-Replayed"));
                    retried.add(Api.json(again).getJsonNumber("id").longValueExact());
                  }
                }));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
      assertEquals(Set.of(first), retried);
      api.publish(id, "run.completed");
      try (RawStream stream =
          RawStream.open(
              URI.create(deployment.toExternalForm()).resolve("api/v1/chat/runs/" + id + "/events"),
              Map.of())) {
        List<String> types = stream.eventsUntilEnd(WAIT).stream().map(Received::type).toList();
        assertEquals(
            List.of("run.created", "run.in_progress", "message.delta", "run.completed"), types);
      }
      assertEquals("once", api.get(id).getJsonObject("output").getString("content"));
    }
  }

  @Test
  @RunAsClient
  public void aBatchIsAppendedTogetherWithContiguousIdsAndOnceForItsKey() throws Exception {
    try (Api api = new Api(deployment)) {
      String id = api.external().getString("id");
      String batch =
          "{\"events\":[{\"type\":\"message.delta\",\"data\":{\"delta\":\"a\"}},"
              + "{\"type\":\"note\",\"data\":{\"n\":1}},"
              + "{\"type\":\"message.delta\",\"data\":{\"delta\":\"b\"}}]}";
      JsonObject ids;
      try (Response posted = keyed(api.events(id), "batch-1", batch)) {
        assertEquals(201, posted.getStatus());
        ids = Api.json(posted);
      }
      assertEquals(3, ids.getInt("first_id"), "after created and in progress");
      assertEquals(5, ids.getInt("last_id"));
      try (Response again = keyed(api.events(id), "batch-1", batch)) {
        assertEquals("true", again.getHeaderString("Idempotent-Replayed"));
        assertEquals(ids, Api.json(again));
      }
      api.publish(id, "run.completed");
      try (RawStream stream =
          RawStream.open(
              URI.create(deployment.toExternalForm()).resolve("api/v1/chat/runs/" + id + "/events"),
              Map.of())) {
        assertEquals(
            List.of(
                "run.created",
                "run.in_progress",
                "message.delta",
                "note",
                "message.delta",
                "run.completed"),
            stream.eventsUntilEnd(WAIT).stream().map(Received::type).toList());
      }
      assertEquals("ab", api.get(id).getJsonObject("output").getString("content"));
    }
  }

  @Test
  @RunAsClient
  public void aBatchWithOneBadEventAppendsNothing() {
    try (Api api = new Api(deployment)) {
      String id = api.external().getString("id");
      String delta = "{\"type\":\"message.delta\",\"data\":{\"delta\":\"a\"}}";
      for (String[] bad :
          new String[][] {
            {"{\"events\":[" + delta + ",{\"type\":\"run.created\"}]}", "/events/1/type"},
            {
              "{\"events\":[" + delta + ",{\"type\":\"message.delta\",\"data\":{}}]}",
              "/events/1/data/delta"
            },
            {"{\"events\":[{\"type\":\"run.completed\"}," + delta + "]}", "/events/0/type"},
            {"{\"events\":[]}", "/events"},
            {"{\"events\":[" + delta + ",7]}", "/events/1"}
          }) {
        try (Response refused = Api.post(api.events(id), bad[0])) {
          assertEquals(400, refused.getStatus(), bad[0]);
          assertEquals(
              bad[1],
              Api.json(refused).getJsonArray("errors").getJsonObject(0).getString("pointer"),
              bad[0]);
        }
      }
      assertEquals(1, api.get(id).getInt("last_event_id"), "nothing was appended");
      api.publish(id, "run.cancelled");
    }
  }

  @Test
  @RunAsClient
  public void aKeyThatIsNoKeyAnswers400WithItsName() {
    try (Api api = new Api(deployment)) {
      for (String bad : List.of("with space", "k".repeat(256))) {
        try (Response refused = keyed(api.runs(), bad, CREATE)) {
          assertEquals(400, refused.getStatus(), bad);
          assertEquals(
              KEY, Api.json(refused).getJsonArray("errors").getJsonObject(0).getString("pointer"));
        }
      }
    }
  }

  /**
   * In the container: thousands of runs end, and the heap is back where it was while the store
   * still keeps every one of them (ended runs are read from the store, not held). A first round
   * warms up what the server allocates once (WildFly runs the whole suite in one JVM).
   */
  @Test
  public void endedRunsLeaveTheHeapWhileTheStoreKeepsThem() {
    String text = "x".repeat(1000);
    createAndEnd(1000, text);
    Heap.Live baseline = Heap.live();
    int count = 3000;
    List<String> ended = createAndEnd(count, text);
    Heap.Live after = Heap.live();
    String reading =
        "heap after GC: "
            + Heap.mib(baseline.total())
            + " before, "
            + Heap.mib(after.total())
            + " with "
            + count
            + " more ended runs stored; grown most: "
            + after.grownSince(baseline, 8);
    LOG.info(reading);
    assertTrue(after.total() - baseline.total() < 4L << 20, "back to the baseline; " + reading);
    for (String id : List.of(ended.get(0), ended.get(count / 2), ended.get(count - 1))) {
      assertEquals(
          "completed", runs.json(id, Caller.ANYONE).getString("status"), "still stored: " + id);
    }
  }

  /** Creates {@code count} echo runs and waits until every one has ended and left the memory. */
  private List<String> createAndEnd(int count, String text) {
    await().atMost(WAIT).until(() -> runs.size() == 0);
    List<String> ids =
        IntStream.range(0, count)
            .mapToObj(i -> runs.create(echo(text), null, Caller.ANYONE).runId())
            .toList();
    await("every run ends").atMost(ofSeconds(60)).until(() -> runs.size() == 0);
    return ids;
  }

  private static RunRequest echo(String text) {
    return new RunRequest(
        List.of(new ChatMessage(Role.USER, text)),
        "echo",
        null,
        Map.of(),
        Json.createObjectBuilder().add("token_delay_ms", 0).build());
  }

  private static Response keyed(WebTarget target, String key, String json) {
    return target.request().header(KEY, key).post(Entity.entity(json, MediaType.APPLICATION_JSON));
  }

  /** How many runs of the newest hundred have this id. */
  private static long count(Api api, String id) {
    try (Response list = api.runs().queryParam("limit", 100).request().get()) {
      return Api.json(list).getJsonArray("data").stream()
          .filter(run -> run.asJsonObject().getString("id").equals(id))
          .count();
    }
  }
}
