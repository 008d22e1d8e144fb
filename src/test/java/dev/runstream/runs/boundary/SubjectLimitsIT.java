package dev.runstream.runs.boundary;

import static java.time.Duration.ofSeconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.streaming.control.StreamRegistry;
import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.LogRecorder;
import dev.runstream.testing.RawStream;
import dev.runstream.testing.Tokens;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Identity on, and each user's limits set low: runs created per minute and open streams, answered
 * 429 with a true Retry-After, for that user only.
 */
@ExtendWith(ArquillianExtension.class)
public class SubjectLimitsIT {

  /** The tests' identity provider: made once in the JVM that builds the deployment. */
  private static final class Idp {
    static final Tokens TOKENS = Tokens.generate();
  }

  private static final int RUNS_PER_MINUTE = 3;
  private static final int STREAMS = 2;
  private static final Duration WAIT = ofSeconds(20);
  private static final String RATE_LIMITED = "urn:runstream:problem:rate-limited";
  private static final String ECHO = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String EXTERNAL =
      "{\"responder\":\"external\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Deployment
  public static WebArchive deployment() {
    return Deployments.withIdentity(
        Idp.TOKENS,
        Map.of(
            "chat.limits.runs-per-minute",
            Integer.toString(RUNS_PER_MINUTE),
            "chat.limits.streams-per-subject",
            Integer.toString(STREAMS)));
  }

  @ArquillianResource URL deployment;

  @Inject StreamRegistry streams;

  /**
   * Over the limit: 429 with the minute's true end in Retry-After, and nothing made; a replay is no
   * new run; another user is not limited; the refused create, retried with its key, is refused
   * again, not replayed (the refusal left no key behind). That it is accepted when Retry-After says
   * is RunsPerMinuteTest's, on a clock of its own: here it would wait out a real minute.
   */
  @Test
  @RunAsClient
  public void aUserOverTheRunsPerMinuteIsRefusedUntilTheMinuteEndsAndOthersAreNot() {
    String alice = bearer(Idp.TOKENS, "alice-" + System.nanoTime());
    String bob = bearer(Idp.TOKENS, "bob-" + System.nanoTime());
    String firstKey = "limits-first-" + System.nanoTime();
    String refusedKey = "limits-refused-" + System.nanoTime();
    try (Api api = new Api(deployment)) {
      String first = created(create(api, alice, firstKey)).getString("id");
      for (int i = 1; i < RUNS_PER_MINUTE; i++) {
        created(create(api, alice, null));
      }
      long retryAfter;
      try (Response refused = create(api, alice, refusedKey)) {
        assertEquals(429, refused.getStatus());
        assertEquals(Api.PROBLEM_JSON, refused.getMediaType().toString());
        retryAfter = Long.parseLong(refused.getHeaderString(HttpHeaders.RETRY_AFTER));
        assertTrue(retryAfter >= 55 && retryAfter <= 60, "the first run's minute: " + retryAfter);
        JsonObject problem = Api.json(refused);
        assertEquals(RATE_LIMITED, problem.getString("type"));
        assertEquals(429, problem.getInt("status"));
        assertEquals(
            "You have created the most runs allowed in a minute (3); the next one is accepted in "
                + retryAfter
                + " seconds.",
            problem.getString("detail"));
      }
      try (Response replay = create(api, alice, firstKey)) {
        assertEquals(201, replay.getStatus(), "a replay is the first answer, no new run");
        assertEquals("true", replay.getHeaderString("Idempotent-Replayed"));
        assertEquals(first, Api.json(replay).getString("id"));
      }
      created(create(api, bob, null));
      assertEquals(RUNS_PER_MINUTE, runsOf(api, alice).size(), "the refused create made no run");

      try (Response again = create(api, alice, refusedKey)) {
        assertEquals(429, again.getStatus(), "still refused within the minute");
        assertNull(
            again.getHeaderString("Idempotent-Replayed"),
            "the refusal left no key behind: the retry is counted again, not replayed");
        long left = Long.parseLong(again.getHeaderString(HttpHeaders.RETRY_AFTER));
        assertTrue(left >= 1 && left <= retryAfter, "the same minute's end: " + left);
      }
      assertEquals(RUNS_PER_MINUTE, runsOf(api, alice).size(), "the retry made no run either");
    }
  }

  /**
   * In the container, to see the server's own count of open streams: a user's streams (of their own
   * runs) are limited, a closed one frees its slot, another user is not limited with them, and no
   * token reaches the log.
   */
  @Test
  public void aUsersOpenStreamsAreLimitedAndAClosedOneFreesItsSlot() throws Exception {
    Tokens idp = Tokens.deployed();
    String alice = bearer(idp, "alice-streams-" + System.nanoTime());
    String bob = bearer(idp, "bob-streams-" + System.nanoTime());
    List<RawStream> open = new ArrayList<>();
    try (LogRecorder logs = LogRecorder.open();
        Api api = new Api(deployment)) {
      String one = created(create(api, alice, EXTERNAL, null)).getString("id");
      String two = created(create(api, alice, EXTERNAL, null)).getString("id");
      String bobs = created(create(api, bob, EXTERNAL, null)).getString("id");
      try {
        open.add(subscribed(one, alice));
        open.add(subscribed(two, alice));
        try (RawStream refused = RawStream.open(eventsUri(one), Map.of("Authorization", alice))) {
          assertEquals(429, refused.status());
          assertEquals(Api.PROBLEM_JSON, refused.header("Content-Type").orElseThrow());
          assertEquals("3", refused.header("Retry-After").orElseThrow(), "the retry hint, 3 s");
        }
        try (Response refused = as(api.events(two).request("text/event-stream"), alice).get()) {
          assertEquals(429, refused.getStatus());
          JsonObject problem = Api.json(refused);
          assertEquals(RATE_LIMITED, problem.getString("type"));
          assertEquals(
              "You have the most open event streams allowed per user (2); close one of them first.",
              problem.getString("detail"));
        }
        open.add(subscribed(bobs, bob)); // another user's streams are counted apart
        assertEquals(STREAMS + 1, streams.openStreams());

        open.remove(0).close();
        await("the server sees the stream gone")
            .atMost(WAIT)
            .until(() -> streams.openStreams() == STREAMS);
        open.add(subscribed(one, alice));
      } finally {
        open.forEach(RawStream::close);
      }
      for (String run : List.of(one, two)) {
        cancel(api, run, alice);
      }
      cancel(api, bobs, bob);
      await("every stream closed").atMost(WAIT).until(() -> streams.openStreams() == 0);
      for (LogRecorder.Line line : logs.lines()) {
        for (String token : List.of(alice, bob)) {
          String signature = token.substring(token.lastIndexOf('.') + 1);
          assertFalse(line.text().contains(signature), () -> "a token in the log: " + line);
        }
      }
    }
  }

  private static String bearer(Tokens idp, String subject) {
    return "Bearer " + idp.rs256(Tokens.claims(subject).build());
  }

  private static Invocation.Builder as(Invocation.Builder request, String authorization) {
    return request.header(HttpHeaders.AUTHORIZATION, authorization);
  }

  private static Response create(Api api, String authorization, String key) {
    return create(api, authorization, ECHO, key);
  }

  private static Response create(Api api, String authorization, String body, String key) {
    Invocation.Builder request = as(api.runs().request(), authorization);
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return request.post(Entity.json(body));
  }

  /** The run a create answered with 201; closes the answer. */
  private static JsonObject created(Response response) {
    try (response) {
      String text = response.readEntity(String.class);
      assertEquals(201, response.getStatus(), () -> "create answered " + text);
      return Api.parse(text);
    }
  }

  private static List<String> runsOf(Api api, String authorization) {
    try (Response response =
        as(api.runs().queryParam("limit", 100).request(), authorization).get()) {
      assertEquals(200, response.getStatus());
      return Api.json(response).getJsonArray("data").stream()
          .map(run -> run.asJsonObject().getString("id"))
          .toList();
    }
  }

  private static void cancel(Api api, String runId, String authorization) {
    try (Response response =
        as(api.run(runId).path("cancel").request(), authorization).post(Entity.json("{}"))) {
      assertEquals(202, response.getStatus());
    }
  }

  /** A stream of {@code runId} that has its first event, so it holds a slot. */
  private RawStream subscribed(String runId, String authorization) throws Exception {
    RawStream stream = RawStream.open(eventsUri(runId), Map.of("Authorization", authorization));
    assertEquals(200, stream.status());
    stream.events(1, WAIT);
    return stream;
  }

  private URI eventsUri(String runId) {
    return URI.create(deployment.toExternalForm()).resolve("api/v1/chat/runs/" + runId + "/events");
  }
}
