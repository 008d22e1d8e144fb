package dev.runstream.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import org.awaitility.Awaitility;

/** The runs API as a test client sees it: JSON text in, JSON objects out. */
public final class Api implements AutoCloseable {

  public static final String PROBLEM_JSON = "application/problem+json";

  private final Client client = ClientBuilder.newClient();
  private final URI base;

  public Api(URL deployment) {
    this.base = URI.create(deployment.toExternalForm()).resolve("api/v1/chat/runs");
  }

  public URI base() {
    return base;
  }

  public WebTarget runs() {
    return client.target(base);
  }

  public WebTarget run(String runId) {
    return runs().path(runId);
  }

  public WebTarget events(String runId) {
    return run(runId).path("events");
  }

  public Client client() {
    return client;
  }

  /** What the server holds now ({@code GET /api/v1/stats}). */
  public JsonObject stats() {
    try (Response response = client.target(base.resolve("../stats")).request().get()) {
      assertEquals(200, response.getStatus());
      return json(response);
    }
  }

  /**
   * Waits until the server has no open stream: every test closes what it opened, and the server
   * notices a client that left at its next write (a heartbeat, every second in tests).
   */
  public void awaitNoOpenStreams() {
    Awaitility.await("every open stream is closed")
        .atMost(Duration.ofSeconds(15))
        .until(() -> stats().getInt("open_streams") == 0);
  }

  /** Starts a run from a JSON body; asserts 201. */
  public JsonObject create(String body) {
    try (Response response = post(runs(), body)) {
      assertEquals(201, response.getStatus(), () -> "create answered " + text(response));
      return json(response);
    }
  }

  /** Starts an echo run replying {@code text}, pausing {@code delayMs} per word. */
  public JsonObject echo(String text, long delayMs) {
    return create(
        Json.createObjectBuilder()
            .add(
                "messages",
                Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("role", "user").add("content", text)))
            .add("options", Json.createObjectBuilder().add("token_delay_ms", delayMs))
            .build()
            .toString());
  }

  /** Starts a run whose events an external producer (the test) posts. */
  public JsonObject external() {
    return create(
        "{\"responder\":\"external\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  /** Posts a producer event; asserts 201 and returns its id. */
  public long publish(String runId, String type, JsonObject data) {
    JsonObject body = Json.createObjectBuilder().add("type", type).add("data", data).build();
    try (Response response = post(events(runId), body.toString())) {
      assertEquals(201, response.getStatus(), () -> "publish answered " + text(response));
      return json(response).getJsonNumber("id").longValueExact();
    }
  }

  public long publish(String runId, String type) {
    return publish(runId, type, JsonValue.EMPTY_JSON_OBJECT);
  }

  public JsonObject get(String runId) {
    try (Response response = run(runId).request(MediaType.APPLICATION_JSON).get()) {
      assertEquals(200, response.getStatus(), () -> "get answered " + text(response));
      return json(response);
    }
  }

  public static Response post(WebTarget target, String json) {
    return target.request().post(Entity.entity(json, MediaType.APPLICATION_JSON));
  }

  public static JsonObject json(Response response) {
    return parse(response.readEntity(String.class));
  }

  /**
   * A create's answer without its {@code producer_token}: shown once, in that answer only, and new
   * in a replayed one (README, Security).
   */
  public static JsonObject withoutProducerToken(JsonObject run) {
    return Json.createObjectBuilder(run).remove("producer_token").build();
  }

  public static JsonObject parse(String json) {
    try (var reader = Json.createReader(new StringReader(json))) {
      return reader.readObject();
    }
  }

  private static String text(Response response) {
    return response.getStatus() + " " + response.readEntity(String.class);
  }

  @Override
  public void close() {
    client.close();
  }
}
