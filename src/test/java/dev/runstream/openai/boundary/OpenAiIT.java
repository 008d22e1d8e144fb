package dev.runstream.openai.boundary;

import static java.time.Duration.ofSeconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.runs.control.RunRegistry;
import dev.runstream.runs.entity.Caller;
import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.EveryStreamClosed;
import dev.runstream.testing.LogRecorder;
import dev.runstream.testing.RawStream;
import dev.runstream.testing.Received;
import dev.runstream.testing.openai.StubBaseUrl;
import dev.runstream.testing.openai.StubExchange;
import dev.runstream.testing.openai.UpstreamStub;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The openai responder against a stub upstream served by this same deployment (see {@link
 * StubBaseUrl} for how the responder finds it). In the container, so a test can hold the stub's
 * reply, release it, and see what the stub saw.
 */
@ExtendWith(ArquillianExtension.class)
@ExtendWith(EveryStreamClosed.class)
public class OpenAiIT {

  private static final Duration WAIT = ofSeconds(20);
  private static final String KEY = "sk-stub-5ecret-0123456789";
  private static final long READ_TIMEOUT_MS = 2000;

  @Deployment
  public static WebArchive deployment() {
    return Deployments.war(
            Map.of(
                "chat.openai.api-key",
                KEY,
                "chat.openai.model",
                "stub-default",
                "chat.openai.read-timeout-ms",
                String.valueOf(READ_TIMEOUT_MS)))
        .addAsResource(
            new StringAsset(StubBaseUrl.class.getName()),
            "META-INF/services/" + ConfigSource.class.getName());
  }

  @ArquillianResource URL deployment;

  @Inject UpstreamStub stub;

  @Inject RunRegistry runs;

  @Test
  public void deltasReachTheSubscriberWhileTheUpstreamIsStillSending() throws Exception {
    StubExchange upstream = stub.exchange("stub-hold");
    try (Api api = new Api(deployment);
        Watched run = watch(api, "stub-hold")) {
      // well within the stub's hold (15 s): the deltas come while it waits, or not at all
      List<Received> first = run.events().events(4, ofSeconds(10));
      assertEquals(
          List.of("run.created", "run.in_progress", "message.delta", "message.delta"),
          types(first));
      assertEquals("Hel", first.get(2).data().getString("delta"));
      assertEquals("lo", first.get(3).data().getString("delta"));
      // The stub flushes the two deltas, then holds until released: once it holds, it cannot
      // have finished, so the deltas came mid-reply (it may reach the hold after they arrive).
      await("the stub holds in the middle of its reply").atMost(WAIT).until(upstream::holding);
      assertEquals("in_progress", api.get(run.id()).getString("status"));

      upstream.release();
      List<Received> rest = run.events().eventsUntilEnd(WAIT);
      assertEquals(List.of("message.delta", "message.completed", "run.completed"), types(rest));
      assertEquals(" world", rest.get(0).data().getString("delta"));
      assertEquals("Hello world", rest.get(1).data().getString("content"));
      JsonObject completed = rest.get(2).data();
      assertEquals("completed", completed.getString("status"));
      assertEquals("Hello world", completed.getJsonObject("output").getString("content"));
      assertEquals("stop", completed.getString("finish_reason"));
    } finally {
      upstream.release();
    }
  }

  @Test
  public void theDefaultModelIsCalledAndUsageAndFinishReasonLandInTheRun() throws Exception {
    try (LogRecorder logs = LogRecorder.open();
        Api api = new Api(deployment)) {
      String body =
          "{\"responder\":\"openai\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
              + "{\"role\":\"user\",\"content\":\"Hi \\\"there\\\" \\u00e9\"}]}";
      JsonObject created = api.create(body);
      assertEquals("stub-default", created.getString("model"), "the run shows the model it uses");
      List<Received> events = untilEnd(created.getString("id"));
      assertEquals("Hello from stub-default!", deltas(events));
      JsonObject run = events.get(events.size() - 1).data();
      assertEquals("run.completed", events.get(events.size() - 1).type());
      assertEquals("Hello from stub-default!", run.getJsonObject("output").getString("content"));
      assertEquals("stop", run.getString("finish_reason"));
      assertEquals(
          Json.createObjectBuilder()
              .add("prompt_tokens", 9)
              .add("completion_tokens", 3)
              .add("total_tokens", 12)
              .build(),
          run.getJsonObject("usage"));
      assertEquals(run.getJsonObject("usage"), api.get(run.getString("id")).getJsonObject("usage"));

      StubExchange.Call call = stub.exchange("stub-default").lastCall();
      assertEquals("Bearer " + KEY, call.authorization());
      assertEquals("stub-default", call.body().getString("model"));
      assertTrue(call.body().getBoolean("stream"));
      assertTrue(call.body().getJsonObject("stream_options").getBoolean("include_usage"));
      assertEquals(
          created.getJsonObject("input").getJsonArray("messages"),
          call.body().getJsonArray("messages"));

      String id = created.getString("id");
      List<LogRecorder.Line> responder =
          logs.of("dev.runstream.openai").stream()
              .filter(line -> line.text().contains(id))
              .toList();
      assertEquals(2, responder.size(), "the answer and the end: " + responder);
      assertTrue(
          responder.stream().allMatch(LogRecorder.Line::managedThread),
          "the response is handled on container-managed threads: " + responder);
    }
  }

  @Test
  public void aModelTheRunNamesIsPassedThrough() throws Exception {
    String model = "acme/Llama-3.1:8b-instruct";
    try (Api api = new Api(deployment)) {
      JsonObject created = api.create(openai(model, "hi"));
      assertEquals(model, created.getString("model"));
      List<Received> events = untilEnd(created.getString("id"));
      assertEquals("Hello from " + model + "!", deltas(events));
      assertEquals(model, stub.exchange(model).lastCall().body().getString("model"));
    }
  }

  @Test
  public void upstreamErrorAnswersFailTheRunWithStableCodesAndNoSecret() throws Exception {
    Map<String, String> codes =
        Map.of(
            "stub-401", "upstream_unauthorized",
            "stub-429", "upstream_rate_limited",
            "stub-500", "upstream_error",
            "stub-error-chunk", "upstream_error");
    try (LogRecorder logs = LogRecorder.open();
        Api api = new Api(deployment)) {
      for (Map.Entry<String, String> scenario : codes.entrySet()) {
        JsonObject run = failedRun(api, scenario.getKey());
        JsonObject error = run.getJsonObject("error");
        assertEquals(scenario.getValue(), error.getString("code"), scenario.getKey());
        assertFalse(run.toString().contains(KEY), "the run never shows the key: " + run);
        assertFalse(error.getString("message").contains("Incorrect"), "nor the upstream's words");
        assertEquals("Bearer " + KEY, stub.exchange(scenario.getKey()).lastCall().authorization());
      }
      assertTrue(
          logs.lines().stream().anyMatch(line -> line.text().contains("upstream_unauthorized")),
          "failures are logged: " + logs.lines());
      assertTrue(
          logs.lines().stream().noneMatch(line -> line.text().contains(KEY)),
          "the key is never logged: " + logs.lines());
    }
  }

  @Test
  public void aStalledUpstreamTimesOutAfterTheReadTimeout() throws Exception {
    StubExchange upstream = stub.exchange("stub-stall");
    try (Api api = new Api(deployment);
        Watched run = watch(api, "stub-stall")) {
      List<Received> first = run.events().events(3, WAIT);
      assertEquals("Hel", first.get(2).data().getString("delta"));
      long deltaAt = System.nanoTime();
      List<Received> rest = run.events().eventsUntilEnd(WAIT);
      long quiet = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deltaAt);
      assertEquals(List.of("run.failed"), types(rest));
      assertEquals("upstream_timeout", rest.get(0).data().getJsonObject("error").getString("code"));
      assertTrue(upstream.holding(), "the stub was still stalling");
      assertTrue(
          quiet > READ_TIMEOUT_MS / 2 && quiet < READ_TIMEOUT_MS + 5000,
          "failed after about the read timeout: " + quiet + " ms");
    } finally {
      upstream.release();
    }
  }

  @Test
  public void garbageOrACutOffStreamIsABadResponse() throws Exception {
    try (Api api = new Api(deployment)) {
      for (String model : List.of("stub-garbage", "stub-truncated")) {
        JsonObject run = failedRun(api, model);
        assertEquals("upstream_bad_response", run.getJsonObject("error").getString("code"), model);
        assertEquals(JsonValue.NULL, run.get("output"));
      }
    }
  }

  @Test
  public void cancelClosesTheUpstreamConnectionWithinASecond() throws Exception {
    StubExchange upstream = stub.exchange("stub-endless");
    try (Api api = new Api(deployment);
        Watched run = watch(api, "stub-endless")) {
      run.events().events(5, WAIT); // created, in_progress, three deltas: the stub is generating
      long cancelledAt = System.nanoTime();
      try (Response response = Api.post(api.run(run.id()).path("cancel"), "")) {
        assertEquals(202, response.getStatus());
      }
      long goneAt = upstream.disconnected().get(5, TimeUnit.SECONDS);
      long ms = TimeUnit.NANOSECONDS.toMillis(goneAt - cancelledAt);
      assertTrue(ms < 1000, "the stub saw its client go " + ms + " ms after the cancel");

      List<Received> rest = run.events().eventsUntilEnd(WAIT);
      assertEquals("run.cancelled", rest.get(rest.size() - 1).type());
      assertEquals("cancelled", api.get(run.id()).getString("status"));
      assertEquals(
          rest.get(rest.size() - 1).id(), runs.find(run.id(), Caller.ANYONE).lastEventId());
    } finally {
      upstream.release();
    }
  }

  /** A run of {@code model}, and a subscriber to its events. */
  private record Watched(String id, RawStream events) implements AutoCloseable {
    @Override
    public void close() {
      events.close();
    }
  }

  private Watched watch(Api api, String model) throws Exception {
    String id = api.create(openai(model, "hi")).getString("id");
    return new Watched(id, RawStream.open(eventsUri(id), Map.of()));
  }

  private static String openai(String model, String text) {
    return Json.createObjectBuilder()
        .add("responder", "openai")
        .add("model", model)
        .add(
            "messages",
            Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("role", "user").add("content", text)))
        .build()
        .toString();
  }

  /** Runs {@code model} to its end; asserts it failed and returns the run. */
  private JsonObject failedRun(Api api, String model) throws Exception {
    List<Received> events = untilEnd(api.create(openai(model, "hi")).getString("id"));
    Received last = events.get(events.size() - 1);
    assertEquals("run.failed", last.type(), model + ": " + types(events));
    return api.get(last.data().getString("id"));
  }

  private List<Received> untilEnd(String runId) throws Exception {
    try (RawStream subscriber = RawStream.open(eventsUri(runId), Map.of())) {
      return subscriber.eventsUntilEnd(WAIT);
    }
  }

  private URI eventsUri(String runId) {
    return URI.create(deployment.toExternalForm()).resolve("api/v1/chat/runs/" + runId + "/events");
  }

  private static String deltas(List<Received> events) {
    StringBuilder text = new StringBuilder();
    events.stream()
        .filter(e -> e.type().equals("message.delta"))
        .forEach(e -> text.append(e.data().getString("delta")));
    return text.toString();
  }

  private static List<String> types(List<Received> events) {
    return events.stream().map(Received::type).toList();
  }
}
