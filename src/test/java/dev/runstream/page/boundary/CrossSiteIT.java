package dev.runstream.page.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.EveryStreamClosed;
import dev.runstream.testing.Http;
import dev.runstream.testing.browser.Chromium;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A page of another origin, in Chromium, tries to change a run the way a browser lets any page:
 * POSTs a browser sends without asking (no content type, {@code text/plain}, a form's), and one
 * with a JSON body, which it sends only after a CORS preflight. None changes anything.
 */
@ExtendWith(ArquillianExtension.class)
@ExtendWith(EveryStreamClosed.class)
@RunAsClient
public class CrossSiteIT {

  /** The other site's page: each attempt in turn, then its outcomes in the title. */
  private static final String ATTACK =
      """
      <!doctype html><title>attacking</title><script>
      const target = new URLSearchParams(location.search).get('target');
      const attempts = [
        { method: 'POST', mode: 'no-cors' },
        { method: 'POST', mode: 'no-cors', body: 'x', headers: { 'Content-Type': 'text/plain' } },
        { method: 'POST', mode: 'no-cors', body: new URLSearchParams({ cancel: 'yes' }) },
        { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } },
      ];
      (async () => {
        const outcomes = [];
        for (const attempt of attempts) {
          try {
            await fetch(target, attempt);
            outcomes.push('sent');
          } catch (e) {
            outcomes.push('refused');
          }
        }
        document.title = 'done ' + outcomes.join(',');
      })();
      </script>
      """;

  @Deployment(testable = false)
  public static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL deployment;

  private static Chromium chromium;
  private static HttpServer otherSite;

  @BeforeAll
  static void start() throws IOException {
    chromium = Chromium.start(800, 600);
    otherSite = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    otherSite.createContext(
        "/attack.html",
        exchange -> {
          byte[] page = ATTACK.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, page.length);
          try (OutputStream body = exchange.getResponseBody()) {
            body.write(page);
          }
        });
    otherSite.start();
  }

  @AfterAll
  static void stop() {
    if (otherSite != null) {
      otherSite.stop(0);
    }
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  public void aPageOfAnotherOriginCannotCancelARun() {
    try (Api api = new Api(deployment)) {
      String runId = api.external().getString("id");
      String before = api.get(runId).getString("status");
      URI cancel = URI.create(api.base() + "/" + runId + "/cancel");
      String page = // another site: the other of the two names of the loopback
          "http://"
              + ("localhost".equals(deployment.getHost()) ? "127.0.0.1" : "localhost")
              + ":"
              + otherSite.getAddress().getPort()
              + "/attack.html?target="
              + URLEncoder.encode(cancel.toString(), StandardCharsets.UTF_8);

      chromium.driver().get(page);
      String title =
          new WebDriverWait(chromium.driver(), Duration.ofSeconds(20))
              .until(driver -> driver.getTitle().startsWith("done") ? driver.getTitle() : null);

      assertEquals(
          "done sent,sent,sent,refused",
          title,
          "the three simple POSTs reach the server; the JSON one is stopped at its preflight");
      assertEquals(before, api.get(runId).getString("status"), "the run was not cancelled");

      HttpResponse<String> bare = Http.send("POST", cancel, null);
      assertEquals(415, bare.statusCode(), "a POST with no content type, from anywhere");
      assertTrue(bare.body().contains("urn:runstream:problem:json-required"), bare.body());
      for (String type : List.of("text/plain", "application/x-www-form-urlencoded")) {
        assertEquals(415, Http.send("POST", cancel, "x", "Content-Type", type).statusCode(), type);
      }
      assertEquals(before, api.get(runId).getString("status"));

      HttpResponse<String> cancelled =
          Http.send("POST", cancel, null, "Content-Type", "application/json");
      assertEquals(202, cancelled.statusCode(), cancelled.body());
      JsonObject run = api.get(runId);
      assertEquals("cancelled", run.getString("status"), "the API's own way still works");
    }
  }
}
