package dev.runstream.streaming.boundary;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.RawStream;
import dev.runstream.testing.Received;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Undeploying the WAR (on Payara Micro: stopping the server) ends every open stream cleanly: the
 * clients see the connection end, before any terminal event, and know where to resume.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public class ShutdownIT {

  private static final String APP = "app";
  private static final Duration WAIT = ofSeconds(30);

  @Deployment(name = APP, managed = false)
  public static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource Deployer deployer;

  @BeforeEach
  public void deploy() {
    deployer.deploy(APP);
  }

  @Test
  public void undeployingEndsEveryOpenStreamCleanly(
      @ArquillianResource @OperateOnDeployment(APP) URL deployment) throws Exception {
    List<RawStream> streams = new ArrayList<>();
    try (Api api = new Api(deployment)) {
      String slow =
          api.echo("one two three four five six seven eight nine ten", 5000).getString("id");
      String external = api.external().getString("id");
      for (String id : List.of(slow, slow, external)) {
        RawStream stream = RawStream.open(events(deployment, id), Map.of());
        stream.events(1, WAIT);
        streams.add(stream);
      }
      assertEquals(3, api.stats().getInt("open_streams"));

      deployer.undeploy(APP);

      for (RawStream stream : streams) {
        List<Received> rest = untilTheEnd(stream); // fails if the stream does not end
        assertTrue(rest.stream().noneMatch(Received::terminal), "the run did not end: " + rest);
      }
      assertNotEquals(
          200, statusOf(URI.create(deployment + "api/v1/stats")), "the service is gone");
    } finally {
      streams.forEach(RawStream::close);
    }
  }

  /** The events a stream still delivers until the server ends it. */
  private static List<Received> untilTheEnd(RawStream stream) throws InterruptedException {
    List<Received> events = new ArrayList<>();
    for (List<String> frame = stream.nextFrame(WAIT);
        !frame.equals(List.of(RawStream.END));
        frame = stream.nextFrame(WAIT)) {
      RawStream.event(frame).ifPresent(events::add);
    }
    return events;
  }

  /** The status of a GET, or 0 when nothing answers (Payara Micro has stopped). */
  private static int statusOf(URI uri) throws InterruptedException {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException refused) {
      return 0;
    }
  }

  private static URI events(URL deployment, String runId) {
    return URI.create(deployment.toExternalForm()).resolve("api/v1/chat/runs/" + runId + "/events");
  }
}
