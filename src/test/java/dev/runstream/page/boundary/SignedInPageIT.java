package dev.runstream.page.boundary;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.browser.ChatPage;
import dev.runstream.testing.browser.Chromium;
import dev.runstream.testing.browser.OpenIdProvider;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.net.URL;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The chat page with identity on, in a real headless Chromium, signing in through a real OpenID
 * provider ({@link OpenIdProvider}): it offers to sign in, then shows who is signed in, streams a
 * reply, lists that user's runs only, says another user's run is not found, and signs out.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public class SignedInPageIT {

  private static final Duration WAIT = ofSeconds(20);
  private static final String CREATE =
      "{\"responder\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"bob's question\"}]}";

  @Deployment(testable = false)
  public static WebArchive deployment() {
    return Deployments.war(OpenIdProvider.settings());
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

  @Test
  public void thePageSignsInStreamsAReplyAndShowsItsUsersRunsOnly() throws Exception {
    String bobs;
    try (Api api = new Api(deployment)) {
      try (Response created =
          api.runs()
              .request()
              .header("Authorization", "Bearer " + OpenIdProvider.token("bob"))
              .post(Entity.json(CREATE))) {
        assertEquals(201, created.getStatus(), () -> created.readEntity(String.class));
        bobs = Api.json(created).getString("id");
      }
    }
    chromium.driver().manage().deleteAllCookies();
    ChatPage page = ChatPage.fresh(chromium.driver(), deployment);
    assertTrue(page.element("sign-in").isDisplayed(), "a signed-out page offers to sign in");
    assertFalse(page.element("send").isEnabled(), "and does not chat");
    page.element("sign-in").click();

    page.await(WAIT, d -> page.element("who-name").getText().equals(OpenIdProvider.USER));
    page.awaitReady();
    assertFalse(page.element("sign-in").isDisplayed());
    String message = "a signed-in user streams a reply";
    page.options("echo", 20).send(message);
    page.await(WAIT, d -> page.status().equals("completed"));
    assertEquals(message, page.reply());
    assertTrue(
        page.pastRuns().stream()
            .noneMatch(
                run ->
                    run.getDomAttribute("data-run-id") != null
                        && run.getDomAttribute("data-run-id").equals(bobs)),
        "bob's run is not in alice's list");
    for (WebElement run : chromium.driver().findElements(By.cssSelector("#past button"))) {
      assertNotEquals(bobs, run.getDomAttribute("data-run-id"), "only alice's runs are listed");
    }
    page.screenshot("chat-page-signed-in");

    page.load("#" + bobs);
    page.await(WAIT, d -> page.runError() != null && page.runError().contains("not found"));
    assertEquals("gone", page.status());

    page.element("sign-out").click();
    page.await(WAIT, d -> page.element("sign-in").isDisplayed());
    assertTrue(
        chromium.driver().manage().getCookies().stream()
            .noneMatch(c -> c.getName().equals("runstream_session")));
  }
}
