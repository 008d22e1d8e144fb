package dev.runstream.runs.boundary;

import static java.time.Duration.ofSeconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server's own memory budget: how many runs it holds at once, how many bytes of events one run
 * may hold, and how many all of them may hold together. Past a limit a request is answered 503 with
 * Retry-After and changes nothing; a run that outgrows its own bytes fails. Every test ends its
 * runs, which gives their bytes back.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public class MemoryBudgetIT {

  private static final Duration WAIT = ofSeconds(20);
  private static final int RUNS_HELD = 6;
  private static final long BYTES_PER_RUN = 500_000;
  private static final long BYTES_HELD = 1_000_000;

  /** An event of about 100 KB as the limits count it (its JSON, twice). */
  private static final String PAD = "x".repeat(50_000);

  @Deployment(testable = false)
  public static WebArchive deployment() {
    return Deployments.war(
        Map.of(
            "chat.limits.runs-held", Integer.toString(RUNS_HELD),
            "chat.limits.bytes-per-run", Long.toString(BYTES_PER_RUN),
            "chat.limits.bytes-held", Long.toString(BYTES_HELD)));
  }

  @ArquillianResource URL deployment;

  private final List<String> started = new ArrayList<>();

  @AfterEach
  void endEveryRun() {
    try (Api api = new Api(deployment)) {
      for (String id : started) {
        try (Response ignored =
            api.run(id).path("cancel").request().post(Entity.json("{}"))) { // 409 if ended
          // whatever the answer, the run has ended now
        }
      }
      await("every run's bytes are given back")
          .atMost(WAIT)
          .until(() -> api.stats().getJsonNumber("bytes_held").longValue() == 0);
    }
  }

  @Test
  public void aCreatePastTheRunsHeldIsRefusedWith503AndAcceptedOnceOneEnds() {
    try (Api api = new Api(deployment)) {
      for (int i = 0; i < RUNS_HELD; i++) {
        started.add(api.external().getString("id"));
      }
      JsonObject runsBefore = list(api);
      try (Response refused = create(api, "one too many")) {
        assertBusy(refused, "as many runs as it may at once (" + RUNS_HELD + ")");
      }
      assertEquals(runsBefore, list(api), "a refused create makes no run");
      cancel(api, started.get(0));
      try (Response accepted = create(api, "once one has ended")) {
        assertEquals(201, accepted.getStatus(), "the cancel's answer comes once the run is let go");
        started.add(Api.json(accepted).getString("id"));
      }
    }
  }

  @Test
  public void aRunFailsWithByteLimitExceededAtThePostThatWouldTakeItPastItsBytes() {
    try (Api api = new Api(deployment)) {
      String id = api.external().getString("id");
      started.add(id);
      int accepted = 0;
      Response refused = null;
      while (refused == null && accepted < 10) {
        Response answer = post(api, id, null);
        if (answer.getStatus() == 201) {
          answer.close();
          accepted++;
        } else {
          refused = answer;
        }
      }
      assertEquals(4, accepted, "four events of 100 KB fit in 500 KB with the run's own");
      try (Response conflict = refused) {
        assertEquals(409, conflict.getStatus());
        assertEquals(Api.PROBLEM_JSON, conflict.getMediaType().toString());
        String detail = Api.json(conflict).getString("detail");
        assertTrue(detail.contains("byte_limit_exceeded"), detail);
        assertTrue(detail.contains(BYTES_PER_RUN + " bytes"), detail);
      }
      JsonObject run = api.get(id);
      assertEquals("failed", run.getString("status"));
      assertEquals("byte_limit_exceeded", run.getJsonObject("error").getString("code"));
      assertEquals(7, run.getInt("last_event_id"), "created, in progress, four events, failed");
    }
  }

  @Test
  public void pastTheBytesHeldPostsAndCreatesAre503WithNothingChangedAndGoThroughOnceThereIsRoom() {
    try (Api api = new Api(deployment)) {
      List<String> runs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String id = api.external().getString("id");
        started.add(id);
        runs.add(id);
      }
      for (String id : runs) { // 3 runs of about 300 KB: 900 KB of the 1 MB
        for (int i = 0; i < 3; i++) {
          try (Response answer = post(api, id, null)) {
            assertEquals(201, answer.getStatus());
          }
        }
      }
      String last = runs.get(2);
      long lastEventId = api.get(last).getJsonNumber("last_event_id").longValue();
      try (Response refused = post(api, last, "the-fourth")) {
        assertBusy(refused, "as many bytes of runs as it may");
      }
      JsonObject unchanged = api.get(last);
      assertEquals("in_progress", unchanged.getString("status"), "the run goes on");
      assertEquals(lastEventId, unchanged.getJsonNumber("last_event_id").longValue());
      try (Response refused = create(api, "no room")) {
        assertBusy(refused, "as many bytes of runs as it may take new runs with");
      }

      cancel(api, runs.get(0)); // gives its 300 KB back
      try (Response retried = post(api, last, "the-fourth")) {
        assertEquals(201, retried.getStatus(), "the retry of the refused post");
        assertEquals(lastEventId + 1, Api.json(retried).getJsonNumber("id").longValue());
      }
      try (Response again = post(api, last, "the-fourth")) {
        assertEquals(lastEventId + 1, Api.json(again).getJsonNumber("id").longValue(), "once");
      }
      try (Response accepted = create(api, "room again")) {
        assertEquals(201, accepted.getStatus(), () -> accepted.readEntity(String.class));
        started.add(Api.json(accepted).getString("id"));
      }
      assertTrue(api.stats().getJsonNumber("bytes_held").longValue() > 0);
    }
  }

  @Test
  public void runsWaitingForTheirProducerMayHoldAQuarterOfTheBytesAndOtherRunsStillGetIn() {
    String input = "x".repeat(20_000); // about 40 KB as created, 120 KB as a create weighs it
    try (Api api = new Api(deployment)) {
      List<String> waiting = new ArrayList<>();
      Response refused = null;
      while (refused == null && waiting.size() < RUNS_HELD) {
        Response answer = create(api, input);
        if (answer.getStatus() == 201) {
          String id = Api.json(answer).getString("id");
          answer.close();
          started.add(id);
          waiting.add(id);
        } else {
          refused = answer;
        }
      }
      assertEquals(4, waiting.size(), "four of 40 KB and the fifth's weight pass 250 KB");
      try (Response busy = refused) {
        assertBusy(busy, "waiting for their producer's first event");
      }
      String echo = api.echo("others still get in", 0).getString("id");
      started.add(echo);
      try (Response first = post(api, waiting.get(0), null)) {
        assertEquals(201, first.getStatus(), "its producer's first event: it waits no more");
      }
      try (Response accepted = create(api, input)) {
        assertEquals(201, accepted.getStatus(), "room among the waiting again");
        started.add(Api.json(accepted).getString("id"));
      }
    }
  }

  private static void assertBusy(Response refused, String says) {
    assertEquals(503, refused.getStatus());
    assertEquals(Api.PROBLEM_JSON, refused.getMediaType().toString());
    assertEquals("5", refused.getHeaderString(HttpHeaders.RETRY_AFTER));
    JsonObject problem = Api.json(refused);
    assertEquals("urn:runstream:problem:server-busy", problem.getString("type"));
    assertTrue(problem.getString("detail").contains(says), problem::toString);
  }

  private static Response create(Api api, String text) {
    return Api.post(
        api.runs(),
        Json.createObjectBuilder()
            .add("responder", "external")
            .add(
                "messages",
                Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("role", "user").add("content", text)))
            .build()
            .toString());
  }

  /** Posts an event of about 100 KB, with {@code key} as its Idempotency-Key if not null. */
  private static Response post(Api api, String runId, String key) {
    var request = api.events(runId).request();
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return request.post(
        Entity.entity(
            Json.createObjectBuilder()
                .add("type", "tick")
                .add("data", Json.createObjectBuilder().add("pad", PAD))
                .build()
                .toString(),
            MediaType.APPLICATION_JSON));
  }

  private static void cancel(Api api, String runId) {
    try (Response answer = api.run(runId).path("cancel").request().post(Entity.json("{}"))) {
      assertEquals(202, answer.getStatus());
    }
  }

  private static JsonObject list(Api api) {
    try (Response answer = api.runs().request(MediaType.APPLICATION_JSON).get()) {
      assertEquals(200, answer.getStatus());
      return Api.json(answer);
    }
  }
}
