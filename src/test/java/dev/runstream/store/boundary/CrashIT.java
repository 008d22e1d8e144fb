package dev.runstream.store.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Api;
import dev.runstream.testing.RawStream;
import dev.runstream.testing.Received;
import dev.runstream.testing.ServerProcess;
import dev.runstream.testing.Stores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server killed (SIGKILL) while producers post as fast as they can: after the restart every
 * acknowledged event is there, once, with the id it was acknowledged with, and each run's ids are
 * contiguous. On the embedded store and on PostgreSQL, on the suite's server.
 */
class CrashIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PRODUCERS = 4;
  private static final int ACKNOWLEDGED = 400;

  static List<String> stores() {
    return Stores.available();
  }

  @ParameterizedTest
  @MethodSource("stores")
  void nothingAcknowledgedIsLostWhenTheServerIsKilled(String store) throws Exception {
    Map<String, String> settings = Stores.settings(store, "crash");
    List<String> runs;
    ConcurrentMap<String, ConcurrentMap<Long, String>> acknowledged = new ConcurrentHashMap<>();
    try (ServerProcess server = ServerProcess.start("crash-" + store + "-1", settings);
        Api api = new Api(server.base().toURL())) {
      runs =
          java.util.stream.IntStream.range(0, PRODUCERS)
              .mapToObj(i -> api.external().getString("id"))
              .toList();
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
      assertTrue(
          enough.await(WAIT.toSeconds(), TimeUnit.SECONDS), "producers got acknowledgements");
      killed.set(true);
      server.kill();
      for (Thread producer : producers) {
        producer.join(WAIT.toMillis());
      }
    }

    try (ServerProcess server = ServerProcess.start("crash-" + store + "-2", settings);
        Api api = new Api(server.base().toURL())) {
      int total = 0;
      for (String run : runs) {
        api.publish(run, "run.completed");
        try (RawStream stream =
            RawStream.open(
                server.base().resolve("api/v1/chat/runs/" + run + "/events"), Map.of())) {
          List<Received> events = stream.eventsUntilEnd(WAIT);
          RestartIT.assertContiguous(events);
          Map<Long, String> acks = acknowledged.getOrDefault(run, new ConcurrentHashMap<>());
          for (Map.Entry<Long, String> ack : acks.entrySet()) {
            Received event = events.get((int) (ack.getKey() - 1));
            assertEquals("crash.tick", event.type(), "event " + ack.getKey());
            assertEquals(ack.getValue(), event.data().getString("n"), "the acknowledged event");
          }
          long ticks = events.stream().filter(e -> e.type().equals("crash.tick")).count();
          long distinct =
              events.stream()
                  .filter(e -> e.type().equals("crash.tick"))
                  .map(e -> e.data().getString("n"))
                  .distinct()
                  .count();
          assertEquals(ticks, distinct, "none twice");
          total += acks.size();
        }
      }
      assertTrue(total >= ACKNOWLEDGED, "every acknowledged event checked: " + total);
    }
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
