package dev.runstream.runs.boundary;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Deployments;
import dev.runstream.testing.Heap;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One client that keeps one connection open and sends request after request with a body costs the
 * server nothing that outlives each request. Payara's HTTP/2 over plain HTTP ({@code h2c}, which
 * the JDK's client asks for) kept every stream of a request with a body until the connection
 * closed, about 23 KB each, so one client could fill the heap; the preboot files turn it off.
 */
@ExtendWith(ArquillianExtension.class)
public class OneConnectionIT {

  private static final int REQUESTS = 3000;

  /** What the requests may leave behind on the open connection: a leak of 23 KB each is 66 MiB. */
  private static final long KEPT_BYTES = 8L << 20;

  @Deployment
  public static WebArchive deployment() {
    return Deployments.war(Map.of());
  }

  @ArquillianResource URL deployment;

  @Test
  public void requestsWithBodiesOnOneConnectionLeaveNothingBehind() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    URI runs = URI.create(deployment + "api/v1/chat/runs");
    send(http, runs, 50); // the connection is open, upgraded if the server does, and warm
    long before = Heap.usedAfterGc();
    Map<String, Integer> answers = send(http, runs, REQUESTS);
    long after = Heap.usedAfterGc(); // the client's connection is still open: nothing closed it
    assertEquals(1, answers.size(), () -> "one kind of answer: " + answers);
    assertTrue(
        answers.keySet().iterator().next().endsWith(" 400"), () -> "each refused: " + answers);
    assertTrue(
        after - before < KEPT_BYTES,
        () ->
            REQUESTS
                + " requests "
                + answers.keySet()
                + " on one connection kept "
                + Heap.mib(after - before)
                + " (from "
                + Heap.mib(before)
                + " to "
                + Heap.mib(after)
                + ")");
  }

  /**
   * {@code count} creates with a body the API refuses (no message), so that nothing is kept by the
   * application: the answers by protocol version and status.
   */
  private static Map<String, Integer> send(HttpClient http, URI runs, int count) throws Exception {
    Map<String, Integer> answers = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(runs)
                  .timeout(ofSeconds(20))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"responder\":\"echo\",\"n\":" + i + "}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      answers.merge(answer.version() + " " + answer.statusCode(), 1, Integer::sum);
    }
    return answers;
  }
}
