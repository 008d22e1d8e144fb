package dev.runstream.store.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Api;
import dev.runstream.testing.RawStream;
import dev.runstream.testing.Received;
import dev.runstream.testing.ServerProcess;
import dev.runstream.testing.Stores;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server stopped and started again on the same store: every run, event and id is there, streams
 * replay and resume across the restart, a run that was producing ends with {@code
 * server_restarted}, an external run goes on, and a retried write is still recognized. Then the
 * same server is killed (SIGKILL) while producers post as fast as they can: after the next start
 * every acknowledged event is there, once, with the id it was acknowledged with, and each run's ids
 * are contiguous. On the embedded store and on PostgreSQL, on the suite's server; one test, so the
 * restarted server is the one killed (a server process takes about ten seconds to start).
 */
class RestartIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PRODUCERS = 4;
  private static final int ACKNOWLEDGED = 400;

  static List<String> stores() {
    return Stores.available();
  }

  @ParameterizedTest
  @MethodSource("stores")
  void everythingIsThereAfterARestartAndNothingAcknowledgedIsLostInACrash(String store)
      throws Exception {
    Map<String, String> settings = Stores.settings(store, "restart");
    String done;
    List<Received> doneEvents;
    String slow;
    String external;
    JsonObject keyed;
    JsonObject created;
    List<String> producing = new ArrayList<>();
    ConcurrentMap<String, ConcurrentMap<Long, String>> acknowledged = new ConcurrentHashMap<>();
    try (ServerProcess server = ServerProcess.start("restart-" + store + "-1", settings);
        Api api = new Api(server.base().toURL())) {
      done = api.echo("four words of reply", 0).getString("id");
      try (RawStream stream = stream(server, done, 0)) {
        doneEvents = stream.eventsUntilEnd(WAIT);
      }
      external = api.external().getString("id");
      api.publish(external, "message.delta", Json.createObjectBuilder().add("delta", "a").build());
      keyed = post(api, external, "delta-b", "b");
      created = create(api, "create-once");
      slow = api.echo("one two three four five six seven eight nine ten", 3000).getString("id");
      try (RawStream stream = stream(server, slow, 0)) {
        stream.events(3, WAIT); // created, in progress, the first word: it is producing
      }
      server.stop();
    }

    try (ServerProcess server = ServerProcess.start("restart-" + store + "-2", settings);
        Api api = new Api(server.base().toURL())) {
      assertEquals("completed", api.get(done).getString("status"));
      try (RawStream stream = stream(server, done, 0)) {
        assertEquals(
            doneEvents.stream().map(Received::envelope).toList(),
            stream.eventsUntilEnd(WAIT).stream().map(Received::envelope).toList(),
            "the same events, ids and envelopes");
      }
      try (RawStream resumed = stream(server, done, 2)) {
        assertEquals(
            doneEvents.subList(2, doneEvents.size()).stream().map(Received::id).toList(),
            resumed.eventsUntilEnd(WAIT).stream().map(Received::id).toList());
      }
      try (Response nothingLeft =
          api.events(done)
              .request("text/event-stream")
              .header("Last-Event-ID", doneEvents.get(doneEvents.size() - 1).id())
              .get()) {
        assertEquals(204, nothingLeft.getStatus());
      }

      try (RawStream stream = stream(server, slow, 0)) {
        List<Received> events = stream.eventsUntilEnd(WAIT);
        assertContiguous(events);
        Received last = events.get(events.size() - 1);
        assertEquals("run.failed", last.type());
        assertEquals("server_restarted", last.data().getJsonObject("error").getString("code"));
      }
      assertEquals("failed", api.get(slow).getString("status"));

      assertEquals("in_progress", api.get(external).getString("status"), "it lives on");
      assertEquals(keyed, post(api, external, "delta-b", "b"), "the retry is recognized");
      assertEquals(
          Api.withoutProducerToken(created),
          Api.withoutProducerToken(create(api, "create-once")),
          "so is a retried create (with a new producer token)");
      long next =
          api.publish(
              external, "message.delta", Json.createObjectBuilder().add("delta", "c").build());
      assertEquals(5, next, "ids go on from the last one: created, in progress, a, b, c");
      try (RawStream resumed = stream(server, external, 3)) {
        api.publish(external, "run.completed");
        List<Received> rest = resumed.eventsUntilEnd(WAIT);
        assertEquals(List.of(4L, 5L, 6L), rest.stream().map(Received::id).toList());
      }
      assertEquals("abc", api.get(external).getJsonObject("output").getString("content"));

      List<String> newestFirst =
          api
              .runs()
              .queryParam("limit", 4)
              .request()
              .get(JsonObject.class)
              .getJsonArray("data")
              .stream()
              .map(run -> run.asJsonObject().getString("id"))
              .toList();
      assertEquals(List.of(slow, created.getString("id"), external, done), newestFirst);

      crashWhileProducing(server, api, producing, acknowledged);
    }

    try (ServerProcess server = ServerProcess.start("restart-" + store + "-3", settings);
        Api api = new Api(server.base().toURL())) {
      assertEveryAcknowledgedEventOnce(server, api, producing, acknowledged);
    }
  }

  /** Producers post as fast as they can, and the server is killed once enough are acknowledged. */
  private static void crashWhileProducing(
      ServerProcess server,
      Api api,
      List<String> runs,
      ConcurrentMap<String, ConcurrentMap<Long, String>> acknowledged)
      throws Exception {
    for (int i = 0; i < PRODUCERS; i++) {
      runs.add(api.external().getString("id"));
    }
    CountDownLatch enough = new CountDownLatch(ACKNOWLEDGED);
    AtomicBoolean killed = new AtomicBoolean();
    List<Thread> producers =
        runs.stream()
            .map(
                run -> {
                  Thread producer =
                      new Thread(() -> produce(server, run, acknowledged, enough, killed));
                  producer.start();
                  return producer;
                })
            .toList();
    assertTrue(enough.await(WAIT.toSeconds(), TimeUnit.SECONDS), "producers got acknowledgements");
    killed.set(true);
    server.kill();
    for (Thread producer : producers) {
      producer.join(WAIT.toMillis());
    }
  }

  /** After the kill: each acknowledged event is there with its id, none twice, ids contiguous. */
  private static void assertEveryAcknowledgedEventOnce(
      ServerProcess server,
      Api api,
      List<String> runs,
      ConcurrentMap<String, ConcurrentMap<Long, String>> acknowledged)
      throws Exception {
    int total = 0;
    for (String run : runs) {
      api.publish(run, "run.completed");
      try (RawStream stream = stream(server, run, 0)) {
        List<Received> events = stream.eventsUntilEnd(WAIT);
        assertContiguous(events);
        Map<Long, String> acks = acknowledged.getOrDefault(run, new ConcurrentHashMap<>());
        for (Map.Entry<Long, String> ack : acks.entrySet()) {
          Received event = events.get((int) (ack.getKey() - 1));
          assertEquals("crash.tick", event.type(), "event " + ack.getKey());
          assertEquals(ack.getValue(), event.data().getString("n"), "the acknowledged event");
        }
        List<String> ticks =
            events.stream()
                .filter(e -> e.type().equals("crash.tick"))
                .map(e -> e.data().getString("n"))
                .toList();
        assertEquals(ticks.size(), ticks.stream().distinct().count(), "none twice");
        total += acks.size();
      }
    }
    assertTrue(total >= ACKNOWLEDGED, "every acknowledged event checked: " + total);
  }

  private static JsonObject post(Api api, String runId, String key, String delta) {
    String body = "{\"type\":\"message.delta\",\"data\":{\"delta\":\"" + delta + "\"}}";
    try (Response posted =
        api.events(runId)
            .request()
            .header("Idempotency-Key", key)
            .post(Entity.entity(body, MediaType.APPLICATION_JSON))) {
      assertEquals(201, posted.getStatus());
      return Api.json(posted);
    }
  }

  private static JsonObject create(Api api, String key) {
    try (Response answer =
        api.runs()
            .request()
            .header("Idempotency-Key", key)
            .post(
                Entity.entity(
                    "{\"responder\":\"external\",\"messages\":[{\"role\":\"user\",\"content\":\"k\"}]}",
                    MediaType.APPLICATION_JSON))) {
      assertEquals(201, answer.getStatus());
      return Api.json(answer);
    }
  }

  private static RawStream stream(ServerProcess server, String runId, long after) throws Exception {
    URI events = server.base().resolve("api/v1/chat/runs/" + runId + "/events");
    RawStream stream =
        RawStream.open(
            events, after == 0 ? Map.of() : Map.of("Last-Event-ID", Long.toString(after)));
    Awaitility.await().atMost(WAIT).until(() -> stream.status() > 0);
    return stream;
  }

  static void assertContiguous(List<Received> events) {
    assertTrue(!events.isEmpty());
    assertEquals(
        LongStream.rangeClosed(1, events.size()).boxed().toList(),
        events.stream().map(Received::id).toList());
  }

  /** Posts numbered events one after another until the server is killed; records each 201. */
  private static void produce(
      ServerProcess server,
      String run,
      ConcurrentMap<String, ConcurrentMap<Long, String>> acknowledged,
      CountDownLatch enough,
      AtomicBoolean killed) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI events = server.base().resolve("api/v1/chat/runs/" + run + "/events");
    ConcurrentMap<Long, String> acks =
        acknowledged.computeIfAbsent(run, r -> new ConcurrentHashMap<>());
    for (int n = 0; !killed.get(); n++) {
      String body = "{\"type\":\"crash.tick\",\"data\":{\"n\":\"" + run + "-" + n + "\"}}";
      try {
        HttpResponse<String> answer =
            client.send(
                HttpRequest.newBuilder(events)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 201) {
          long id = Api.parse(answer.body()).getJsonNumber("id").longValueExact();
          acks.put(id, run + "-" + n);
          enough.countDown();
        }
      } catch (java.io.IOException gone) {
        return; // the server was killed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
