package dev.runstream.store.boundary;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.runstream.testing.Api;
import dev.runstream.testing.Postgres;
import dev.runstream.testing.RawStream;
import dev.runstream.testing.Received;
import dev.runstream.testing.ServerProcess;
import dev.runstream.testing.Stores;
import jakarta.json.Json;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away while the server runs, and comes back: writes are refused with 503 and
 * {@code Retry-After} meanwhile, an open stream stays open, nothing acknowledged is lost, and the
 * service recovers by itself; a write retried with its idempotency key is applied once.
 */
class OutageIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void writesAreRefusedWhileTheDatabaseIsDownAndTheServiceRecoversByItself() throws Exception {
    Map<String, String> settings = new HashMap<>(Stores.settings(Stores.POSTGRESQL, "outage"));
    settings.put("chat.store.commit-timeout-ms", "1000");
    settings.put("chat.stream.heartbeat-seconds", "1");
    try (ServerProcess server = ServerProcess.start("outage", settings);
        Api api = new Api(server.base().toURL())) {
      String run = api.external().getString("id");
      for (int i = 0; i < 3; i++) {
        api.publish(run, "message.delta", Json.createObjectBuilder().add("delta", "" + i).build());
      }
      try (RawStream stream =
          RawStream.open(server.base().resolve("api/v1/chat/runs/" + run + "/events"), Map.of())) {
        assertEquals(5, stream.events(5, WAIT).size(), "created, in progress, three deltas");

        Postgres.down();
        try {
          try (Response refused = delta(api, run, "during", "x")) {
            assertEquals(503, refused.getStatus());
            assertEquals("application/problem+json", refused.getMediaType().toString());
            assertNotNull(refused.getHeaderString("Retry-After"));
            assertEquals(
                "urn:runstream:problem:store-unavailable", Api.json(refused).getString("type"));
          }
          try (Response refused =
              Api.post(
                  api.runs(),
                  "{\"messages\":[{\"role\":\"user\",\"content\":\"while it is down\"}]}")) {
            assertEquals(503, refused.getStatus());
          }
          List<String> frame = stream.nextFrame(Duration.ofSeconds(10));
          assertEquals(List.of(": ping"), frame, "the stream stays open");
        } finally {
          Postgres.up();
        }

        await("the service recovers by itself")
            .atMost(WAIT)
            .until(
                () -> {
                  try (Response retried = delta(api, run, "during", "x")) {
                    return retried.getStatus() == 201;
                  }
                });
        long after = api.publish(run, "run.completed");
        List<Received> rest = stream.eventsUntilEnd(WAIT);
        assertEquals(List.of(6L, after), rest.stream().map(Received::id).toList());
        assertEquals("x", rest.get(0).data().getString("delta"), "the retried write, once");
      }
      assertEquals("012x", api.get(run).getJsonObject("output").getString("content"));
    }
  }

  private static Response delta(Api api, String run, String key, String delta) {
    return api.events(run)
        .request()
        .header("Idempotency-Key", key)
        .post(
            Entity.entity(
                "{\"type\":\"message.delta\",\"data\":{\"delta\":\"" + delta + "\"}}",
                MediaType.APPLICATION_JSON));
  }
}
