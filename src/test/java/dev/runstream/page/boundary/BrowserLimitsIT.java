package dev.runstream.page.boundary;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.EveryStreamClosed;
import dev.runstream.testing.Http;
import dev.runstream.testing.RawStream;
import dev.runstream.testing.browser.ChatPage;
import dev.runstream.testing.browser.Chromium;
import jakarta.json.Json;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stream limit that a browser survives: the chat page's {@code EventSource}, refused while the
 * run's one stream slot is taken, keeps trying at the server's pace instead of giving up, and
 * streams the run once the slot is free.
 */
@ExtendWith(ArquillianExtension.class)
@ExtendWith(EveryStreamClosed.class)
@RunAsClient
public class BrowserLimitsIT {

  private static final Duration WAIT = ofSeconds(30);
  private static final Pattern RETRY = Pattern.compile("retry: (\\d+)\n: (.*) Retrying\\.\n\n");

  /** One stream per run; a retry time of 1 s; heartbeats every second, so a gone client is seen. */
  @Deployment(testable = false)
  public static WebArchive deployment() {
    return Deployments.war(
        Map.of(
            "chat.limits.subscribers-per-run", "1",
            "chat.stream.retry-ms", "1000",
            "chat.stream.heartbeat-seconds", "1"));
  }

  @ArquillianResource URL deployment;

  private static Chromium chromium;

  @BeforeAll
  static void startBrowser() {
    chromium = Chromium.start(1024, 768);
  }

  @AfterAll
  static void stopBrowser() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  public void aPageRefusedForAFullRunRetriesAndStreamsOnceThereIsRoom() throws Exception {
    try (Api api = new Api(deployment)) {
      String runId = api.external().getString("id");
      URI events = URI.create(api.base() + "/" + runId + "/events");
      RawStream holder = RawStream.open(events, Map.of());
      ChatPage page;
      try {
        assertEquals(200, holder.status(), "the run's one slot is taken");

        HttpResponse<String> browser =
            Http.get(events, "Accept", "text/event-stream", "Sec-Fetch-Mode", "cors");
        assertEquals(200, browser.statusCode(), "a browser's EventSource would give up on a 503");
        assertTrue(
            browser
                .headers()
                .firstValue("Content-Type")
                .orElse("")
                .startsWith("text/event-stream"));
        Matcher refusal = RETRY.matcher(browser.body());
        assertTrue(refusal.matches(), browser.body());
        long retry = Long.parseLong(refusal.group(1));
        assertTrue(
            retry >= 1000 && retry <= 2000, "the wait, spread over up to twice it: " + retry);
        assertEquals("This run has the most open streams allowed (1).", refusal.group(2));
        assertEquals(
            503,
            Http.get(events, "Accept", "text/event-stream").statusCode(),
            "other clients get the problem, with Retry-After");

        page = ChatPage.fresh(chromium.driver(), deployment).load("#" + runId);
        page.await(WAIT, d -> page.streamErrors() >= 3); // three refusals, each reconnected
        assertEquals(1, page.streamsOpened().size(), "the browser's own reconnects, one source");
        assertEquals("reconnecting", page.connection(), "refused, and trying again: not closed");
      } finally {
        holder.close();
      }
      api.publish(runId, "message.delta", Json.createObjectBuilder().add("delta", "Room").build());
      api.publish(runId, "run.cancelled");
      page.await(WAIT, d -> "cancelled".equals(page.status()));
      assertEquals("Room", page.reply(), "streamed once the slot was free");
    }
  }
}
