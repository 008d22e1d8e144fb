package dev.runstream.runs.boundary;

import static java.time.Duration.ofSeconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.EveryStreamClosed;
import dev.runstream.testing.RawStream;
import dev.runstream.testing.Received;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The limits and the retention time, each set low for this deployment. */
@ExtendWith(ArquillianExtension.class)
@ExtendWith(EveryStreamClosed.class)
public class LimitsIT {

  private static final Duration WAIT = ofSeconds(20);
  private static final int PER_RUN = 3;
  private static final int TOTAL = 5;
  private static final int EVENTS_PER_RUN = 20;

  @Deployment
  public static WebArchive deployment() {
    return Deployments.war(
        Map.of(
            "chat.limits.subscribers-per-run",
            Integer.toString(PER_RUN),
            "chat.limits.streams-total",
            Integer.toString(TOTAL),
            "chat.limits.streams-per-subject", // must be below the total (no user here: unused)
            Integer.toString(TOTAL - 1),
            "chat.limits.events-per-run",
            Integer.toString(EVENTS_PER_RUN),
            "chat.retention.minutes",
            "0.1",
            "chat.stream.retry-ms",
            "2000",
            "chat.limits.body-bytes",
            "4096"));
  }

  @ArquillianResource URL deployment;

  @Test
  @RunAsClient
  public void aStreamOverTheRunsLimitAnswers503WithRetryAfter() throws Exception {
    try (Api api = new Api(deployment)) {
      String id = api.external().getString("id");
      List<RawStream> open = new ArrayList<>();
      try {
        for (int i = 0; i < PER_RUN; i++) {
          open.add(subscribed(id));
        }
        try (RawStream refused = RawStream.open(eventsUri(id), Map.of())) {
          assertEquals(503, refused.status());
          assertEquals(Api.PROBLEM_JSON, refused.header("Content-Type").orElseThrow());
          assertEquals("2", refused.header("Retry-After").orElseThrow());
        }
        try (Response problem = api.events(id).request("text/event-stream").get()) {
          assertEquals(503, problem.getStatus());
          JsonObject body = Api.json(problem);
          assertEquals("urn:runstream:problem:too-many-streams", body.getString("type"));
          assertEquals("This run has the most open streams allowed (3).", body.getString("detail"));
        }
        open.remove(0).close();
        await("a slot is free once the server sees the client gone")
            .atMost(WAIT)
            .until(() -> api.stats().getInt("open_streams") == PER_RUN - 1);
        open.add(subscribed(id));
      } finally {
        open.forEach(RawStream::close);
      }
      api.publish(id, "run.cancelled");
    }
  }

  @Test
  @RunAsClient
  public void aStreamOverTheServersLimitAnswers503() throws Exception {
    try (Api api = new Api(deployment)) {
      String first = api.external().getString("id");
      String second = api.external().getString("id");
      List<RawStream> open = new ArrayList<>();
      try {
        for (int i = 0; i < TOTAL; i++) {
          open.add(subscribed(i < PER_RUN ? first : second));
        }
        try (Response problem = api.events(second).request("text/event-stream").get()) {
          assertEquals(503, problem.getStatus());
          assertEquals("2", problem.getHeaderString("Retry-After"));
          assertEquals(
              "The server has the most open streams allowed (5).",
              Api.json(problem).getString("detail"));
        }
      } finally {
        open.forEach(RawStream::close);
      }
      api.publish(first, "run.cancelled");
      api.publish(second, "run.cancelled");
    }
  }

  @Test
  @RunAsClient
  public void aRunOverItsEventLimitFailsWithEventLimitExceeded() throws Exception {
    try (Api api = new Api(deployment)) {
      String id = api.external().getString("id");
      for (long expected = 3; expected < EVENTS_PER_RUN; expected++) {
        assertEquals(expected, api.publish(id, "tick", Json.createObjectBuilder().build()));
      }
      try (Response refused = Api.post(api.events(id), "{\"type\":\"tick\"}")) {
        assertEquals(409, refused.getStatus());
        assertTrue(
            Api.json(refused).getString("detail").contains("reached its limit of 20 events"));
      }
      JsonObject failed = api.get(id);
      assertEquals("failed", failed.getString("status"));
      assertEquals("event_limit_exceeded", failed.getJsonObject("error").getString("code"));
      assertEquals(EVENTS_PER_RUN, failed.getInt("last_event_id"), "the last slot is the end");

      String words = String.join(" ", IntStream.range(0, 40).mapToObj(i -> "w" + i).toList());
      String echo = api.echo(words, 0).getString("id");
      try (RawStream stream = RawStream.open(eventsUri(echo), Map.of())) {
        List<Received> events = stream.eventsUntilEnd(WAIT);
        Received last = events.get(events.size() - 1);
        assertEquals(EVENTS_PER_RUN, last.id());
        assertEquals("run.failed", last.type());
        assertEquals("event_limit_exceeded", last.data().getJsonObject("error").getString("code"));
      }
    }
  }

  @Test
  @RunAsClient
  public void anEndedRunIsForgottenAfterTheRetentionTime() {
    try (Api api = new Api(deployment)) {
      String id = api.external().getString("id");
      api.publish(id, "run.completed");
      assertEquals("completed", api.get(id).getString("status"));
      await("the run expires (6 s here)")
          .atMost(WAIT)
          .until(
              () -> {
                try (Response gone = api.run(id).request().get()) {
                  return gone.getStatus() == 404;
                }
              });
      try (Response stream = api.events(id).request("text/event-stream").get()) {
        assertEquals(404, stream.getStatus());
      }
      String running = api.external().getString("id");
      assertEquals("queued", api.get(running).getString("status"), "a run that has not ended");
      api.publish(running, "run.cancelled");
    }
  }

  @Test
  @RunAsClient
  public void oversizedHeadersAnswer431AndOversizedBodies413() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (String path : List.of("api/v1/chat/runs", "index.html", "nothing")) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(deployment + path))
                  .header("X-Padding", "p".repeat(20_000))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(431, response.statusCode(), path);
      assertTrue(
          response.headers().firstValue("Content-Type").orElseThrow().startsWith(Api.PROBLEM_JSON));
      assertEquals(
          "urn:runstream:problem:headers-too-large", Api.parse(response.body()).getString("type"));
    }
    try (Api api = new Api(deployment)) {
      String id = api.external().getString("id");
      String big = "{\"type\":\"x\",\"data\":{\"pad\":\"" + "p".repeat(5000) + "\"}}";
      try (Response response = Api.post(api.events(id), big)) {
        assertEquals(413, response.getStatus());
        assertEquals("urn:runstream:problem:body-too-large", Api.json(response).getString("type"));
      }
      assertEquals(1, api.get(id).getInt("last_event_id"), "nothing was appended");
      api.publish(id, "run.cancelled");
    }
  }

  /** A stream of {@code runId} that has its first event, so it holds a slot. */
  private RawStream subscribed(String runId) throws Exception {
    RawStream stream = RawStream.open(eventsUri(runId), Map.of());
    assertEquals(200, stream.status());
    stream.events(1, WAIT);
    return stream;
  }

  private URI eventsUri(String runId) {
    return URI.create(deployment.toExternalForm()).resolve("api/v1/chat/runs/" + runId + "/events");
  }
}
