package dev.runstream.openai.boundary;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.LogRecorder;
import dev.runstream.testing.RawStream;
import dev.runstream.testing.Received;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
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
 * The openai responder as the default, with no default model, pointed at a closed port (1 on
 * loopback: nothing listens there, and only root could make something).
 */
@ExtendWith(ArquillianExtension.class)
public class OpenAiSettingsIT {

  private static final Duration WAIT = ofSeconds(20);
  private static final String HI = "[{\"role\":\"user\",\"content\":\"hi\"}]";

  @Deployment
  public static WebArchive deployment() {
    return Deployments.war(
        Map.of(
            "chat.responder.default", "openai",
            "chat.openai.base-url", "http://127.0.0.1:1/v1"));
  }

  @ArquillianResource URL deployment;

  @Test
  @RunAsClient
  public void withoutADefaultModelARunMustNameOneAndOpenaiTakesNoOptions() {
    try (Api api = new Api(deployment);
        Response response =
            Api.post(api.runs(), "{\"messages\":" + HI + ",\"options\":{\"temperature\":1}}")) {
      assertEquals(400, response.getStatus());
      assertEquals(Api.PROBLEM_JSON, response.getMediaType().toString());
      JsonObject problem = Api.json(response);
      assertEquals(
          List.of("/model", "/options/temperature"),
          problem.getJsonArray("errors").stream()
              .map(e -> e.asJsonObject().getString("pointer"))
              .sorted()
              .toList());
    }
  }

  /** In the container, to see on which thread the failure is handled. */
  @Test
  public void aClosedPortFailsTheRunAsUnreachable() throws Exception {
    try (LogRecorder logs = LogRecorder.open();
        Api api = new Api(deployment)) {
      JsonObject created = api.create("{\"model\":\"llama3.2\",\"messages\":" + HI + "}");
      String id = created.getString("id");
      assertEquals("openai", created.getString("responder"), "chat.responder.default applies");
      List<Received> events;
      try (RawStream subscriber =
          RawStream.open(
              URI.create(deployment.toExternalForm()).resolve("api/v1/chat/runs/" + id + "/events"),
              Map.of())) {
        events = subscriber.eventsUntilEnd(WAIT);
      }
      assertEquals(
          List.of("run.created", "run.in_progress", "run.failed"),
          events.stream().map(Received::type).toList());
      JsonObject error = events.get(2).data().getJsonObject("error");
      assertEquals("upstream_unreachable", error.getString("code"));
      assertEquals(
          "The model server could not be reached (connection refused or unknown host).",
          error.getString("message"));
      List<LogRecorder.Line> failure =
          logs.of("dev.runstream.openai").stream()
              .filter(line -> line.text().contains(id))
              .toList();
      assertEquals(1, failure.size(), failure.toString());
      assertTrue(failure.get(0).managedThread(), "handled on a managed thread: " + failure);
    }
  }
}
