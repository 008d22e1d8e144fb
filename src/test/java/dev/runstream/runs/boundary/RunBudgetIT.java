package dev.runstream.runs.boundary;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.EventRecorder;
import dev.runstream.testing.EveryStreamClosed;
import dev.runstream.testing.Received;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What one request can make the server hold: an echo of a long message is a bounded number of
 * events, and an external run whose producer goes silent ends instead of holding its input for
 * ever.
 */
@ExtendWith(ArquillianExtension.class)
@ExtendWith(EveryStreamClosed.class)
@RunAsClient
public class RunBudgetIT {

  private static final Duration WAIT = ofSeconds(20);
  private static final double TIMEOUT_SECONDS = 1.5;

  @Deployment(testable = false)
  public static WebArchive deployment() {
    return Deployments.war(
        Map.of("chat.external.producer-timeout-seconds", Double.toString(TIMEOUT_SECONDS)));
  }

  @ArquillianResource URL deployment;

  @Test
  public void aRunWhoseProducerPostsNothingFailsWithProducerTimeout() {
    try (Api api = new Api(deployment)) {
      String never = api.external().getString("id");
      String once = api.external().getString("id");
      api.publish(once, "message.delta", Json.createObjectBuilder().add("delta", "hi").build());
      for (String id : List.of(never, once)) {
        try (EventRecorder subscriber = EventRecorder.open(api.events(id))) {
          List<Received> events = subscriber.awaitEnd(WAIT);
          Received failed = events.get(events.size() - 1);
          assertEquals("run.failed", failed.type());
          JsonObject error = failed.data().getJsonObject("error");
          assertEquals("producer_timeout", error.getString("code"));
          assertEquals(
              "The run's producer posted no event for 1.5 seconds.", error.getString("message"));
          Instant last =
              Instant.parse(events.get(events.size() - 2).envelope().getString("created_at"));
          Instant end = Instant.parse(failed.envelope().getString("created_at"));
          assertTrue(
              Duration.between(last, end).toMillis() >= 1500,
              () -> "counted from the last event: " + last + " -> " + end);
        }
        assertEquals("failed", api.get(id).getString("status"));
      }
    }
  }

  @Test
  public void aLongEchoMessageComesInAtMost256Deltas() {
    String message = "word ".repeat(200_000); // 1 MB: one delta a word would be 200 000 events
    try (Api api = new Api(deployment)) {
      String id =
          api.create(
                  "{\"messages\":[{\"role\":\"user\",\"content\":\""
                      + message
                      + "\"}],\"options\":{\"token_delay_ms\":0}}")
              .getString("id");
      try (EventRecorder subscriber = EventRecorder.open(api.events(id))) {
        List<Received> events = subscriber.awaitEnd(WAIT);
        long deltas = events.stream().filter(e -> e.type().equals("message.delta")).count();
        assertTrue(deltas <= 256, deltas + " deltas");
        assertEquals("run.completed", events.get(events.size() - 1).type());
        assertEquals(
            message,
            events.stream()
                .filter(e -> e.type().equals("message.delta"))
                .map(e -> e.data().getString("delta"))
                .collect(Collectors.joining()),
            "every word, in pieces of several");
      }
    }
  }
}
