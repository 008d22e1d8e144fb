package dev.runstream.page.boundary;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.EveryStreamClosed;
import dev.runstream.testing.browser.ChatPage;
import dev.runstream.testing.browser.Chromium;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.net.URL;
import java.time.Duration;
import java.util.List;
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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The chat page at {@code /}, in a real headless Chromium against the deployed WAR: it streams a
 * reply word by word through the browser's own EventSource, stops a run, rides out a dropped stream
 * and a reload without doubled or missing text, and shows errors plainly.
 */
@ExtendWith(ArquillianExtension.class)
@ExtendWith(EveryStreamClosed.class)
@RunAsClient
public class ChatPageIT {

  private static final Duration WAIT = ofSeconds(20);
  private static final Pattern RESUMED = Pattern.compile(".*/events\\?last_event_id=(\\d+)");

  /** The browser reconnects 1 s after a dropped stream (the server's retry: hint). */
  @Deployment(testable = false)
  public static WebArchive deployment() {
    return Deployments.war(Map.of("chat.stream.retry-ms", "1000"));
  }

  @ArquillianResource URL deployment;

  private static Chromium chromium;

  @BeforeAll
  static void startBrowser() {
    chromium = Chromium.start(1280, 900);
  }

  @AfterAll
  static void stopBrowser() {
    if (chromium != null) {
      chromium.close();
    }
  }

  private ChatPage page() {
    chromium.driver().manage().window().setSize(new Dimension(1280, 900));
    return ChatPage.fresh(chromium.driver(), deployment);
  }

  @Test
  public void sentMessageStreamsItsReplyWordByWord() {
    String message = "Replies arrive one word at a time, live, in the page itself.";
    ChatPage page = page().options("echo", 150).send(message);

    String partial = page.await(WAIT, d -> partOf(message, page.reply()));
    assertEquals("live", page.connection(), "the reply streams over an open connection");
    assertEquals(message, page.prompt());
    page.screenshot("chat-page-streaming");

    page.await(WAIT, d -> page.status().equals("completed"));
    assertEquals(message, page.reply(), "after " + partial + ", the whole reply, exactly");
    assertEquals("closed", page.connection(), "the page closes the stream after the end");
    assertNull(page.runError());
    List<WebElement> past = page.pastRuns();
    assertEquals(1, past.size());
    assertTrue(past.get(0).getText().contains(message.substring(0, 20)), past.get(0).getText());
    page.screenshot("chat-page-completed");

    String origin = deployment.getProtocol() + "://" + deployment.getAuthority() + "/";
    for (String address : page.fetched()) {
      assertTrue(address.startsWith(origin), "fetched from this server only: " + address);
    }
    assertEquals(List.of(), page.policyViolations(), "the page keeps to its own policy");
  }

  /**
   * The policy the server sends as a header is in force: an inline script is refused (and
   * reported), and the page will not be framed, not even by itself ({@code frame-ancestors 'none'},
   * which only the header can say).
   */
  @Test
  public void thePolicyOfTheHeaderRefusesInlineScriptsAndFraming() {
    ChatPage page = page();
    Object ran =
        page.script(
            """
            const inline = document.createElement('script');
            inline.textContent = 'window.inlineRan = true';
            document.head.append(inline);
            return window.inlineRan === true;
            """);
    assertEquals(false, ran, "an inline script does not run");
    page.await(WAIT, d -> !page.policyViolations().isEmpty());
    assertTrue(
        page.policyViolations().get(0).startsWith("script-src-elem inline"),
        page.policyViolations().toString());

    page.script(
        """
        const frame = document.createElement('iframe');
        frame.onload = () => {
          let ready;
          try {
            ready = frame.contentDocument?.documentElement?.getAttribute('data-ready');
          } catch (e) {
            ready = 'no access';
          }
          window.framed = String(ready);
        };
        frame.src = location.pathname;
        document.body.append(frame);
        """);
    String framed = page.await(WAIT, d -> (String) page.script("return window.framed"));
    assertNotEquals("true", framed, "the page did not load in a frame");
  }

  @Test
  public void stopEndsASlowRun() {
    String message = "one two three four five six seven eight nine ten eleven twelve";
    ChatPage page = page().options("echo", 1000).send(message);
    page.await(WAIT, d -> partOf(message, page.reply()));

    page.stop();
    page.await(WAIT, d -> page.status().equals("cancelled"));
    String stopped = page.reply();
    assertTrue(message.startsWith(stopped) && stopped.length() < message.length(), stopped);
    assertEquals("closed", page.connection());
    assertThrows(
        TimeoutException.class,
        () -> page.await(ofSeconds(3), d -> !page.reply().equals(stopped)),
        "no word arrives after the stop (the run makes one a second)");
    try (Api api = new Api(deployment)) {
      assertEquals("cancelled", api.get(page.runId()).getString("status"));
    }
  }

  @Test
  public void reconnectsAfterTheServerClosesTheStreamAndEndsWithTheExactText() {
    String message =
        "The server drops this stream in the middle of the reply, and the page picks it up"
            + " again where it stopped, without a word doubled or lost.";
    ChatPage page = page().options("echo", 200).send(message);
    String before = page.await(WAIT, d -> words(page.reply()) >= 3 ? page.reply() : null);
    assertEquals("live", page.connection());

    try (Api api = new Api(deployment);
        Response cut =
            api.client()
                .target(api.base().resolve("../testing/runs/" + page.runId() + "/streams"))
                .request()
                .delete()) {
      assertEquals(200, cut.getStatus());
      assertEquals(1, Api.json(cut).getInt("closed"), "the page's stream was open");
    }
    page.await(WAIT, d -> page.connection().equals("reconnecting"));
    assertEquals("reconnecting…", page.connectionLabel(), "the page says the stream dropped");
    page.screenshot("chat-page-reconnecting");

    page.await(WAIT, d -> page.connection().equals("live") || page.connection().equals("closed"));
    page.await(WAIT, d -> page.status().equals("completed"));
    assertTrue(page.reply().startsWith(before));
    assertEquals(message, page.reply(), "no word doubled or missing across the reconnect");
    assertEquals(1, page.streamsOpened().size(), "the browser itself reconnected its EventSource");
  }

  @Test
  public void reloadMidRunResumesWithoutDoubledOrMissingText() {
    String message =
        "A reload in the middle of this reply keeps the words already shown and streams only"
            + " the ones after them, each exactly once.";
    ChatPage page = page().options("echo", 150).send(message);
    page.await(WAIT, d -> words(page.reply()) >= 3);
    String runId = page.runId();

    page.reload();
    assertEquals(runId, page.runId(), "the same run is on screen after the reload");
    page.await(WAIT, d -> page.status().equals("completed"));
    assertEquals(message, page.reply(), "no word doubled or missing across the reload");
    List<String> streams = page.streamsOpened();
    assertEquals(1, streams.size(), "one stream since the reload: " + streams);
    Matcher resumed = RESUMED.matcher(streams.get(0));
    assertTrue(resumed.matches(), "it resumed with ?last_event_id: " + streams);
    long resumedAfter = Long.parseLong(resumed.group(1));
    assertTrue(resumedAfter >= 5, "it resumed after the events shown before the reload");
  }

  @Test
  public void failedRunShowsItsError() {
    ChatPage page = page().options("external", null).send("Ask a producer that will fail.");
    page.await(WAIT, d -> page.connection().equals("live"));
    String runId = page.runId();
    try (Api api = new Api(deployment)) {
      api.publish(runId, "message.delta", Json.createObjectBuilder().add("delta", "Half ").build());
      page.await(WAIT, d -> page.reply().equals("Half "));
      JsonObject error =
          Json.createObjectBuilder()
              .add(
                  "error",
                  Json.createObjectBuilder()
                      .add("code", "upstream_unreachable")
                      .add("message", "The model server did not answer."))
              .build();
      api.publish(runId, "run.failed", error);
    }
    String shown = page.await(WAIT, d -> page.runError());
    assertEquals("Run failed (upstream_unreachable): The model server did not answer.", shown);
    assertEquals("failed", page.status());
    assertEquals("closed", page.connection());
    page.screenshot("chat-page-failed");
  }

  @Test
  public void problemAnswersAreShownPlainly() {
    ChatPage page = page().options("echo", 20000).send("Too slow a pause.");
    String refused = page.await(WAIT, d -> page.formError());
    assertTrue(refused.startsWith("Invalid request: "), refused);
    assertTrue(refused.contains("token_delay_ms"), refused);
    assertTrue(page.pastRuns().isEmpty(), "no run was created");

    page.load("#run_doesNotExist0000");
    String missing = page.await(WAIT, d -> page.runError());
    assertTrue(missing.contains("No run has this id"), missing);
    assertEquals("gone", page.status());
    assertEquals("closed", page.connection(), "the page does not keep retrying a run that is gone");
  }

  @Test
  public void keyboardAloneWorksOnAPhoneSizedScreen() {
    ChatPage page = page();
    chromium.driver().manage().window().setSize(new Dimension(375, 812));
    page.load();
    assertEquals(375L, page.script("return window.innerWidth"), "a phone-sized viewport");
    Actions keys = new Actions(chromium.driver());
    String focused = "";
    for (int tab = 0; tab < 10 && !focused.equals("message"); tab++) {
      keys.sendKeys(Keys.TAB).perform();
      focused = (String) page.script("return document.activeElement.id");
    }
    assertEquals("message", focused, "Tab reaches the message box");
    assertNotEquals(
        "none",
        page.script("return getComputedStyle(document.activeElement).outlineStyle"),
        "focus is visible");

    String message = "Typed and sent with the keyboard alone.";
    keys.sendKeys(message).sendKeys(Keys.ENTER).perform();
    page.await(WAIT, d -> page.status().equals("completed"));
    assertEquals(message, page.reply());
    assertEquals(
        true,
        page.script(
            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
        "nothing wider than the screen");
    page.screenshot("chat-page-phone");

    for (int tab = 0; tab < 10 && !"past".equals(page.script(focusIn())); tab++) {
      keys.sendKeys(Keys.TAB).perform();
    }
    assertEquals("past", page.script(focusIn()), "Tab reaches the past runs");
    long last = page.lastEventId();
    keys.sendKeys(Keys.ENTER).perform();
    page.await(WAIT, d -> page.streamsOpened().size() == 2);
    assertTrue(
        page.streamsOpened().get(1).endsWith(page.runId() + "/events"),
        "Enter on a past run replays it from its first event");
    page.await(WAIT, d -> page.lastEventId() == last && page.status().equals("completed"));
    assertEquals(message, page.reply());
  }

  private static String focusIn() {
    return "return document.activeElement.closest('ol')?.id ?? ''";
  }

  /** The text if it is a proper, non-empty beginning of {@code whole}, else null. */
  private static String partOf(String whole, String text) {
    return !text.isEmpty() && text.length() < whole.length() && whole.startsWith(text)
        ? text
        : null;
  }

  private static int words(String text) {
    return text.isBlank() ? 0 : text.strip().split("\\s+").length;
  }
}
