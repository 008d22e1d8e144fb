package dev.runstream.runs.boundary;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.EveryStreamClosed;
import dev.runstream.testing.RawStream;
import dev.runstream.testing.Received;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Malformed and hostile requests at every endpoint: each answer is a 4xx problem+json (never a 500,
 * never an HTML page), and the service keeps streaming correctly throughout.
 */
@ExtendWith(ArquillianExtension.class)
@ExtendWith(EveryStreamClosed.class)
@RunAsClient
public class HostileInputIT {

  private static final Duration WAIT = ofSeconds(60);
  private static final String JSON = "application/json";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Deployment
  public static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL deployment;

  @Test
  public void everyHostileRequestAnswersA4xxProblemWhileStreamsGoOn() throws Exception {
    try (Api api = new Api(deployment)) {
      String words = IntStream.range(0, 80).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
      String watched = api.echo(words, 40).getString("id");
      String external = api.external().getString("id");
      String echo = api.echo("x", 0).getString("id");
      try (RawStream stream = RawStream.open(events(watched), Map.of())) {
        List<Request> requests = hostile(external, echo);
        for (Request request : requests) {
          assertProblem(request, send(request));
        }
        List<Request> burst = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
          burst.add(requests.get(i % requests.size()));
        }
        burstOf(burst);

        List<Received> got = stream.eventsUntilEnd(WAIT);
        for (int i = 0; i < got.size(); i++) {
          assertEquals(i + 1L, got.get(i).id(), "the watched stream has every event once");
        }
        assertEquals(
            words, got.get(got.size() - 1).data().getJsonObject("output").getString("content"));
      }
      assertEquals("queued", api.get(external).getString("status"), "nothing hostile got in");
      assertEquals(1, api.get(external).getInt("last_event_id"));
      api.publish(external, "run.cancelled");
      String after = api.echo("still serving", 0).getString("id");
      try (RawStream stream = RawStream.open(events(after), Map.of())) {
        assertEquals("run.completed", last(stream.eventsUntilEnd(WAIT)).type());
      }
    }
  }

  private List<Request> hostile(String external, String echo) {
    List<Request> all = new ArrayList<>();
    String runs = "api/v1/chat/runs";
    String user = "{\"role\":\"user\",\"content\":\"hi\"}";
    for (String body :
        List.of(
            "{",
            "}",
            "nul",
            "{\"messages\": [}",
            "\u0000",
            "{\"messages\":1e99999999}",
            "{\"messages\":[" + user + "],\"options\":{\"token_delay_ms\":1e99999999}}",
            "{\"messages\":[" + user + "],\"options\":{\"token_delay_ms\":-0.0}}",
            "{\"messages\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}",
            "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000),
            "{\"messages\":{}}",
            "{\"messages\":[{\"role\":[\"user\"],\"content\":{}}]}",
            "{\"messages\":[" + (user + ",").repeat(1500) + user + "]}",
            "{\"messages\":[" + user + "],\"model\":\"" + "m".repeat(100_000) + "\"}",
            "{\"messages\":[" + user + "],\"metadata\":{" + metadata(5000) + "}}",
            "{\"messages\":[" + user + "],\"responder\":\"../../etc/passwd\"}",
            "{\"messages\":[" + user + "],\"__proto__\":{\"admin\":true}}")) {
      all.add(Request.post(runs, JSON, body));
    }
    all.add(Request.post(runs, JSON, "x".repeat(2_000_000)));
    all.add(
        new Request(
            "POST", runs, JSON, new byte[] {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}, ""));
    all.add(
        new Request("POST", runs, JSON, "{\"messages\":[]}".getBytes(StandardCharsets.UTF_16), ""));
    for (String type :
        List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")) {
      all.add(Request.post(runs, type, "{\"messages\":[" + user + "]}"));
    }
    for (String id : List.of("..%2f..%2fetc%2fpasswd", "%00")) { // refused by the container itself
      all.add(Request.get(runs + "/" + id, "").toContainer());
    }
    for (String id : List.of("run_" + "a".repeat(5000), "run_%F0%9F%92%A9", "%2e%2e")) {
      all.add(Request.get(runs + "/" + id, ""));
      all.add(Request.get(runs + "/" + id + "/events", ""));
      all.add(Request.post(runs + "/" + id + "/cancel", JSON, ""));
    }
    for (String query :
        List.of(
            "limit=-1", "limit=99999999999999999999", "limit=1.5", "status=COMPLETED", "after=x")) {
      all.add(Request.get(runs + "?" + query, ""));
    }
    for (String lastEventId :
        List.of("-0", "+1", "1e3", "0x10", "99999999999999999999", "1,2", "3 4", "2")) {
      all.add(Request.get(runs + "/" + external + "/events", lastEventId));
    }
    for (String query : List.of("%00", "%EF%BC%91", "-1", "1.0")) { // %EF%BC%91: a full-width 1
      all.add(Request.get(runs + "/" + external + "/events?last_event_id=" + query, ""));
    }
    String events = runs + "/" + external + "/events";
    for (String body :
        List.of(
            "{\"type\":\"" + "a".repeat(70) + "\"}",
            "{\"type\":\"RUN.X\"}",
            "{\"type\":\"x\",\"data\":1}",
            "{\"type\":\"run.in_progress\"}",
            "{\"type\":\"message.delta\",\"data\":{\"delta\":null}}",
            "[]")) {
      all.add(Request.post(events, JSON, body));
    }
    all.add(Request.post(runs + "/" + echo + "/events", JSON, "{\"type\":\"x\"}"));
    all.add(Request.post(runs + "/run_unknown/events", JSON, "{\"type\":\"x\"}"));
    all.add(new Request("DELETE", runs + "/run_unknown", "", new byte[0], ""));
    all.add(new Request("PUT", runs, JSON, "{}".getBytes(StandardCharsets.UTF_8), ""));
    all.add(new Request("PATCH", runs + "/" + external, JSON, "{}".getBytes(), ""));
    all.add(new Request("DELETE", events, "", new byte[0], ""));
    all.add(new Request("PUT", "api/v1/stats", JSON, "{}".getBytes(), ""));
    all.add(new Request("GET", events, "", new byte[0], "", "application/json", false));
    // Not /WEB-INF/...: WildFly answers it with its own HTML page, before any filter or error page
    for (String path : List.of("api/v1/chat/runs/a/b/c/d", "api/v2/runs", "nothing.html")) {
      all.add(Request.get(path, ""));
    }
    return all;
  }

  private HttpResponse<String> send(Request request) throws Exception {
    return CLIENT.send(build(request), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends every request, 32 at a time, and checks every answer. */
  private void burstOf(List<Request> requests) throws Exception {
    Semaphore inFlight = new Semaphore(32);
    List<CompletableFuture<Void>> answers = new ArrayList<>();
    for (Request request : requests) {
      inFlight.acquire();
      answers.add(
          CLIENT
              .sendAsync(build(request), HttpResponse.BodyHandlers.ofString())
              .thenAccept(response -> assertProblem(request, response))
              .whenComplete((ok, failure) -> inFlight.release()));
    }
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get();
  }

  private HttpRequest build(Request request) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(deployment.toExternalForm() + request.path()))
            .timeout(Duration.ofSeconds(30))
            .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
    if (!request.contentType().isEmpty()) {
      builder.header("Content-Type", request.contentType());
    }
    if (!request.lastEventId().isEmpty()) {
      builder.header("Last-Event-ID", request.lastEventId());
    }
    builder.header("Accept", request.accept());
    return builder.build();
  }

  private static void assertProblem(Request request, HttpResponse<String> response) {
    String what = request + " answered " + response.statusCode() + " " + head(response.body());
    assertTrue(response.statusCode() >= 400 && response.statusCode() < 500, what);
    if (request.containerMayAnswer() && !response.body().startsWith("{")) {
      assertTrue(response.body().isEmpty(), "the container refused it, with no page: " + what);
      return;
    }
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith(Api.PROBLEM_JSON),
        what);
    JsonObject problem = Api.parse(response.body());
    assertEquals(response.statusCode(), problem.getInt("status"), what);
    assertTrue(!problem.getString("detail").isBlank(), what);
  }

  private static String metadata(int entries) {
    return IntStream.range(0, entries)
        .mapToObj(i -> "\"k" + i + "\":\"v\"")
        .collect(Collectors.joining(","));
  }

  private URI events(String runId) {
    return URI.create(deployment.toExternalForm()).resolve("api/v1/chat/runs/" + runId + "/events");
  }

  private static Received last(List<Received> events) {
    return events.get(events.size() - 1);
  }

  private static String head(String body) {
    return body.length() > 200 ? body.substring(0, 200) + "..." : body;
  }

  /**
   * One request as sent: method, path under the deployment, and what it carries. {@code
   * containerMayAnswer}: the container may refuse it before the application sees it (Grizzly
   * answers an encoded NUL or slash in the path with an empty 400).
   */
  private record Request(
      String method,
      String path,
      String contentType,
      byte[] body,
      String lastEventId,
      String accept,
      boolean containerMayAnswer) {

    Request(String method, String path, String contentType, byte[] body, String lastEventId) {
      this(method, path, contentType, body, lastEventId, "*/*", false);
    }

    Request toContainer() {
      return new Request(method, path, contentType, body, lastEventId, accept, true);
    }

    static Request post(String path, String contentType, String body) {
      return new Request("POST", path, contentType, body.getBytes(StandardCharsets.UTF_8), "");
    }

    static Request get(String path, String lastEventId) {
      return new Request("GET", path, "", new byte[0], lastEventId);
    }

    @Override
    public String toString() {
      return method + " /" + (path.length() > 80 ? path.substring(0, 80) + "..." : path);
    }
  }
}
