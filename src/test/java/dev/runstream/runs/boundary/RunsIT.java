package dev.runstream.runs.boundary;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.EventRecorder;
import dev.runstream.testing.EveryStreamClosed;
import dev.runstream.testing.Received;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.LinkedHashMap;
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

/** Runs from a client's side: create, read, list, cancel, delete, and every invalid request. */
@ExtendWith(ArquillianExtension.class)
@ExtendWith(EveryStreamClosed.class)
@RunAsClient
public class RunsIT {

  private static final Duration WAIT = ofSeconds(20);
  private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
  private static final String USER_HI = "[{\"role\":\"user\",\"content\":\"hi\"}]";

  @Deployment
  public static WebArchive deployment() {
    return Deployments.war(Map.of("chat.limits.body-bytes", "4096"));
  }

  @ArquillianResource URL deployment;

  @Test
  public void createAnswers201WithLocationAndTheRun() {
    try (Api api = new Api(deployment);
        Response response =
            Api.post(
                api.runs(),
                "{\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                    + "{\"role\":\"user\",\"content\":\"hi\"}],"
                    + "\"responder\":\"external\",\"model\":\"m-1\","
                    + "\"metadata\":{\"user\":\"u42\"}}")) {
      assertEquals(201, response.getStatus());
      JsonObject run = Api.json(response);
      String id = run.getString("id");
      assertTrue(id.matches("run_[0-9A-Za-z]{16}"), id);
      assertEquals(
          URI.create(api.base().getRawPath() + "/" + id),
          response.getLocation(),
          "relative to the host the client used: never built from its Host header");
      assertEquals("queued", run.getString("status"));
      assertEquals("external", run.getString("responder"));
      assertEquals("m-1", run.getString("model"));
      assertEquals("u42", run.getJsonObject("metadata").getString("user"));
      assertEquals(2, run.getJsonObject("input").getJsonArray("messages").size());
      assertEquals(JsonValue.NULL, run.get("output"));
      assertEquals(JsonValue.NULL, run.get("error"));
      assertEquals(JsonValue.NULL, run.get("started_at"));
      assertTrue(run.getString("created_at").matches(TIMESTAMP));
      assertEquals(1, run.getInt("last_event_id"));
      assertTrue(run.getString("producer_token").matches("[A-Za-z0-9_-]{43}"), "external: a token");
      assertEquals(
          Api.withoutProducerToken(run), api.get(id), "GET answers the run as created, no token");
      api.publish(id, "run.cancelled");
    }
  }

  /** With identity off a run has no owner: {@code "owner": null} wherever the run is shown. */
  @Test
  public void withIdentityOffARunsOwnerIsNull() {
    try (Api api = new Api(deployment)) {
      JsonObject created = api.external();
      String id = created.getString("id");
      assertEquals(JsonValue.NULL, created.get("owner"), "the create's answer");
      assertEquals(JsonValue.NULL, api.get(id).get("owner"), "a get");
      JsonObject listed =
          list(api, "limit=100").getJsonArray("data").stream()
              .map(JsonValue::asJsonObject)
              .filter(run -> run.getString("id").equals(id))
              .findFirst()
              .orElseThrow();
      assertEquals(JsonValue.NULL, listed.get("owner"), "a list");
      try (Response cancelled = Api.post(api.run(id).path("cancel"), "{}")) {
        assertEquals(202, cancelled.getStatus());
        assertEquals(JsonValue.NULL, Api.json(cancelled).get("owner"), "a cancel's answer");
      }
    }
  }

  @Test
  public void echoRepliesWithTheLastUserMessageOneWordPerDelta() {
    try (Api api = new Api(deployment)) {
      String id =
          api.create(
                  "{\"messages\":[{\"role\":\"user\",\"content\":\"not this\"},"
                      + "{\"role\":\"assistant\",\"content\":\"nor this\"},"
                      + "{\"role\":\"user\",\"content\":\"  Echo  me,\\n please! \"},"
                      + "{\"role\":\"system\",\"content\":\"nor this\"}],"
                      + "\"options\":{\"token_delay_ms\":0}}")
              .getString("id");
      try (EventRecorder subscriber = EventRecorder.open(api.events(id))) {
        List<Received> events = subscriber.awaitEnd(WAIT);
        List<String> deltas =
            events.stream()
                .filter(e -> e.type().equals("message.delta"))
                .map(e -> e.data().getString("delta"))
                .toList();
        assertEquals(List.of("  Echo  ", "me,\n ", "please! "), deltas);
        assertEquals("message.completed", events.get(events.size() - 2).type());
        JsonObject run = api.get(id);
        assertEquals("completed", run.getString("status"));
        assertEquals("  Echo  me,\n please! ", run.getJsonObject("output").getString("content"));
        assertEquals("assistant", run.getJsonObject("output").getString("role"));
        assertTrue(run.getString("completed_at").matches(TIMESTAMP));
        assertEquals(events.size(), run.getInt("last_event_id"));
      }
    }
  }

  @Test
  public void listIsNewestFirstInPagesAndFiltersByStatus() {
    try (Api api = new Api(deployment)) {
      List<String> ids =
          IntStream.range(0, 5).mapToObj(i -> api.external().getString("id")).toList();
      api.publish(ids.get(1), "run.cancelled");
      api.publish(ids.get(3), "run.cancelled");

      JsonObject first = list(api, "limit=2");
      assertEquals(List.of(ids.get(4), ids.get(3)), idsOf(first));
      assertTrue(first.getBoolean("has_more"));
      JsonObject second = list(api, "limit=2&after=" + ids.get(3));
      assertEquals(List.of(ids.get(2), ids.get(1)), idsOf(second));

      List<String> cancelled = idsOf(list(api, "status=cancelled&limit=100"));
      assertEquals(ids.get(3), cancelled.get(0));
      assertEquals(ids.get(1), cancelled.get(1));
      JsonObject queued = list(api, "status=queued&limit=100");
      assertTrue(idsOf(queued).containsAll(List.of(ids.get(0), ids.get(2), ids.get(4))));
      assertFalse(idsOf(queued).contains(ids.get(1)));
      assertFalse(queued.getBoolean("has_more"));
      for (String id : List.of(ids.get(0), ids.get(2), ids.get(4))) {
        api.publish(id, "run.cancelled");
      }
    }
  }

  @Test
  public void aPagesCursorOutlivesTheRunItFollows() {
    try (Api api = new Api(deployment)) {
      List<String> ids =
          IntStream.range(0, 4).mapToObj(i -> api.external().getString("id")).toList();
      api.publish(ids.get(2), "run.cancelled");

      JsonObject first = list(api, "limit=2");
      assertEquals(List.of(ids.get(3), ids.get(2)), idsOf(first));
      String next = first.getString("next_after");
      try (Response deleted =
          api.client().target(api.base() + "/" + ids.get(2)).request().delete()) {
        assertEquals(204, deleted.getStatus());
      }

      JsonObject second = list(api, "limit=2&after=" + next);
      assertEquals(List.of(ids.get(1), ids.get(0)), idsOf(second));
      try (Response byId =
          api.client().target(api.base() + "?limit=2&after=" + ids.get(2)).request().get()) {
        assertEquals(
            "No run has this id (deleted or expired?): page with the answer's next_after, which"
                + " outlives its run.",
            assertProblem(byId, 400, "invalid-request")
                .getJsonArray("errors")
                .getJsonObject(0)
                .getString("detail"));
      }
      for (String id : List.of(ids.get(0), ids.get(1), ids.get(3))) {
        api.publish(id, "run.cancelled");
      }
    }
  }

  @Test
  public void cancelStopsARunWithinOneToken() {
    try (Api api = new Api(deployment)) {
      String text = String.join(" ", IntStream.range(0, 50).mapToObj(i -> "w" + i).toList());
      String id = api.echo(text, 200).getString("id");
      try (EventRecorder subscriber = EventRecorder.open(api.events(id))) {
        subscriber.await(events -> deltas(events) >= 2, WAIT);
        int before = api.get(id).getInt("last_event_id");
        JsonObject cancelled;
        try (Response response = Api.post(api.run(id).path("cancel"), "")) {
          assertEquals(202, response.getStatus());
          cancelled = Api.json(response);
        }
        assertEquals("cancelled", cancelled.getString("status"));
        assertTrue(
            cancelled.getInt("last_event_id") <= before + 2,
            "at most the token under way, then run.cancelled: " + before + " -> " + cancelled);
        List<Received> events = subscriber.awaitEnd(WAIT);
        assertEquals("run.cancelled", events.get(events.size() - 1).type());
        assertEquals(cancelled.getInt("last_event_id"), events.size());
        assertEquals(JsonValue.NULL, api.get(id).get("output"));
        assertEquals(events.size(), api.get(id).getInt("last_event_id"), "nothing after it");
      }
      try (Response again = Api.post(api.run(id).path("cancel"), "")) {
        assertProblem(again, 409, "run-state-conflict");
      }
    }
  }

  @Test
  public void deleteForgetsAnEndedRunAndRefusesARunningOne() {
    try (Api api = new Api(deployment)) {
      String id = api.external().getString("id");
      try (Response running = api.run(id).request().delete()) {
        assertProblem(running, 409, "run-state-conflict");
      }
      api.publish(id, "run.completed");
      try (Response deleted = api.run(id).request().delete()) {
        assertEquals(204, deleted.getStatus());
      }
      for (var target : List.of(api.run(id), api.events(id))) {
        try (Response gone = target.request().get()) {
          assertProblem(gone, 404, "run-not-found");
        }
      }
      try (Response again = api.run(id).request().delete()) {
        assertProblem(again, 404, "run-not-found");
      }
    }
  }

  @Test
  public void everyInvalidCreateAnswers400WithThePointerOfEachProblem() {
    Map<String, List<String>> cases = new LinkedHashMap<>();
    cases.put("{}", List.of("/messages"));
    cases.put("{\"messages\":[]}", List.of("/messages"));
    cases.put("{\"messages\":\"hi\"}", List.of("/messages"));
    cases.put("{\"messages\":[\"hi\"]}", List.of("/messages/0"));
    cases.put(
        "{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}", List.of("/messages/0/role"));
    cases.put("{\"messages\":[{\"content\":\"x\"}]}", List.of("/messages/0/role"));
    cases.put("{\"messages\":[{\"role\":\"user\"}]}", List.of("/messages/0/content"));
    cases.put("{\"messages\":[{\"role\":\"user\",\"content\":7}]}", List.of("/messages/0/content"));
    cases.put(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"name\":\"n\"}]}",
        List.of("/messages/0/name"));
    cases.put("{\"messages\":" + USER_HI + ",\"responder\":\"oracle\"}", List.of("/responder"));
    cases.put("{\"messages\":" + USER_HI + ",\"responder\":1}", List.of("/responder"));
    cases.put("{\"messages\":" + USER_HI + ",\"model\":\"\"}", List.of("/model"));
    cases.put("{\"messages\":" + USER_HI + ",\"model\":[]}", List.of("/model"));
    cases.put("{\"messages\":" + USER_HI + ",\"metadata\":{\"k\":1}}", List.of("/metadata/k"));
    cases.put("{\"messages\":" + USER_HI + ",\"metadata\":[]}", List.of("/metadata"));
    cases.put(
        "{\"messages\":" + USER_HI + ",\"options\":{\"token_delay_ms\":-1}}",
        List.of("/options/token_delay_ms"));
    cases.put(
        "{\"messages\":" + USER_HI + ",\"options\":{\"token_delay_ms\":10001}}",
        List.of("/options/token_delay_ms"));
    cases.put(
        "{\"messages\":" + USER_HI + ",\"options\":{\"token_delay_ms\":1.5}}",
        List.of("/options/token_delay_ms"));
    cases.put(
        "{\"messages\":" + USER_HI + ",\"options\":{\"temperature\":1}}",
        List.of("/options/temperature"));
    cases.put(
        "{\"messages\":"
            + USER_HI
            + ",\"responder\":\"external\",\"options\":{\"token_delay_ms\":1}}",
        List.of("/options/token_delay_ms"));
    cases.put("{\"messages\":" + USER_HI + ",\"stream\":true}", List.of("/stream"));
    cases.put(
        "{\"messages\":[],\"model\":\"\",\"metadata\":{\"k\":1}}",
        List.of("/messages", "/model", "/metadata/k"));
    cases.put("{\"messages\":", List.of(""));
    cases.put("[]", List.of(""));
    cases.put("\"hi\"", List.of(""));
    cases.put("", List.of(""));
    cases.put("{\"messages\":" + USER_HI + "} trailing", List.of(""));
    cases.put(
        "{\"messages\":" + USER_HI + ",\"responder\":\"echo\",\"responder\":\"external\"}",
        List.of("/responder"));
    cases.put(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"a\\ud800b\"}]}",
        List.of("/messages/0/content"));
    cases.put(
        "{\"messages\":" + USER_HI + ",\"metadata\":{\"\\udc00\":\"v\"}}", List.of("/metadata"));
    try (Api api = new Api(deployment)) {
      int before = list(api, "limit=100").getJsonArray("data").size();
      cases.forEach(
          (body, pointers) -> {
            try (Response response = Api.post(api.runs(), body)) {
              JsonObject problem = assertProblem(response, 400, "invalid-request");
              assertEquals(pointers, pointersOf(problem), () -> body + " -> " + problem);
            }
          });
      assertEquals(before, list(api, "limit=100").getJsonArray("data").size(), "nothing created");
    }
  }

  @Test
  public void bodiesThatAreNoJsonTextAnswerClearProblems() {
    try (Api api = new Api(deployment)) {
      byte[] invalidUtf8 = {'{', '"', 'm', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
      try (Response response =
          api.runs().request().post(Entity.entity(invalidUtf8, MediaType.APPLICATION_JSON))) {
        JsonObject problem = assertProblem(response, 400, "invalid-request");
        assertTrue(problem.getString("detail").contains("UTF-8"), problem.toString());
      }
      String big = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(5000) + "\"}]}";
      try (Response response = Api.post(api.runs(), big)) {
        assertProblem(response, 413, "body-too-large");
      }
      try (Response response =
          api.runs().request().post(Entity.entity("hi", MediaType.TEXT_PLAIN))) {
        assertProblem(response, 415, null);
      }
      try (Response response =
          api.runs().request().put(Entity.entity("{}", MediaType.APPLICATION_JSON))) {
        assertProblem(response, 405, null);
        assertTrue(response.getHeaderString("Allow").contains("POST"));
      }
      try (Response response =
          api.client().target(api.base().resolve("../nothing")).request().get()) {
        assertProblem(response, 404, null);
      }
    }
  }

  @Test
  public void invalidListParametersAnswer400() {
    try (Api api = new Api(deployment)) {
      for (String query :
          List.of(
              "limit=0", "limit=101", "limit=x", "status=done", "after=run_x", "after=cur_-1")) {
        try (Response response = api.client().target(api.base() + "?" + query).request().get()) {
          JsonObject problem = assertProblem(response, 400, "invalid-request");
          assertEquals(query.substring(0, query.indexOf('=')), pointersOf(problem).get(0));
        }
      }
    }
  }

  @Test
  public void producerEventsAreCheckedAndOnlyGoToExternalRunsThatHaveNotEnded() {
    try (Api api = new Api(deployment)) {
      String id = api.external().getString("id");
      Map<String, String> invalid = new LinkedHashMap<>();
      invalid.put("{}", "/type");
      invalid.put("{\"type\":\"Bad Type\"}", "/type");
      invalid.put("{\"type\":\"x\",\"data\":[]}", "/data");
      invalid.put("{\"type\":\"x\",\"extra\":1}", "/extra");
      invalid.put("{\"type\":\"x\",\"type\":\"run.completed\"}", "/type"); // not a terminal event
      invalid.put("{\"type\":\"message.delta\",\"data\":{}}", "/data/delta");
      invalid.put("{\"type\":\"message.delta\",\"data\":{\"delta\":1}}", "/data/delta");
      invalid.put("{\"type\":\"run.created\"}", "/type");
      invalid.put("{\"type\":\"run.failed\",\"data\":{\"error\":\"x\"}}", "/data/error");
      invalid.forEach(
          (body, pointer) -> {
            try (Response response = Api.post(api.events(id), body)) {
              JsonObject problem = assertProblem(response, 400, "invalid-request");
              assertEquals(pointer, pointersOf(problem).get(0), body);
            }
          });
      assertEquals(1, api.get(id).getInt("last_event_id"), "no invalid event was appended");

      assertEquals(
          2 + 1, api.publish(id, "tool.call", Json.createObjectBuilder().add("n", 1).build()));
      JsonObject error =
          Json.createObjectBuilder()
              .add(
                  "error", Json.createObjectBuilder().add("code", "model_down").add("message", "m"))
              .build();
      api.publish(id, "run.failed", error);
      JsonObject failed = api.get(id);
      assertEquals("failed", failed.getString("status"));
      assertEquals("model_down", failed.getJsonObject("error").getString("code"));
      try (Response late = Api.post(api.events(id), "{\"type\":\"tool.call\"}")) {
        assertProblem(late, 409, "run-state-conflict");
      }

      String echo = api.echo("x", 0).getString("id");
      try (Response notExternal = Api.post(api.events(echo), "{\"type\":\"tool.call\"}")) {
        assertProblem(notExternal, 409, "run-state-conflict");
      }
      try (Response unknown = Api.post(api.events("run_unknown"), "{\"type\":\"tool.call\"}")) {
        assertProblem(unknown, 404, "run-not-found");
      }
    }
  }

  private static JsonObject list(Api api, String query) {
    try (Response response = api.client().target(api.base() + "?" + query).request().get()) {
      assertEquals(200, response.getStatus());
      return Api.json(response);
    }
  }

  private static List<String> idsOf(JsonObject page) {
    return page.getJsonArray("data").getValuesAs(JsonObject.class).stream()
        .map(run -> run.getString("id"))
        .toList();
  }

  private static long deltas(List<Received> events) {
    return events.stream().filter(e -> e.type().equals("message.delta")).count();
  }

  private static List<String> pointersOf(JsonObject problem) {
    JsonArray errors = problem.getJsonArray("errors");
    return errors.getValuesAs(JsonObject.class).stream().map(e -> e.getString("pointer")).toList();
  }

  /** Asserts a problem+json answer of {@code status} (and of {@code slug}, when given). */
  private static JsonObject assertProblem(Response response, int status, String slug) {
    assertEquals(status, response.getStatus());
    assertEquals(Api.PROBLEM_JSON, response.getMediaType().toString());
    JsonObject problem = Api.json(response);
    assertEquals(status, problem.getInt("status"));
    assertNotEquals("", problem.getString("title"));
    assertNotEquals("", problem.getString("detail"));
    if (slug != null) {
      assertEquals("urn:runstream:problem:" + slug, problem.getString("type"));
    }
    return problem;
  }
}
