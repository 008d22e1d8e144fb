package dev.runstream.streaming.boundary;

import static java.time.Duration.ofSeconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.runs.control.RunRegistry;
import dev.runstream.runs.entity.Caller;
import dev.runstream.runs.entity.RunNotFoundException;
import dev.runstream.streaming.control.StreamRegistry;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.EveryStreamClosed;
import dev.runstream.testing.ExternalRuns;
import dev.runstream.testing.Heap;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In the container: a stream that opens while its run is deleted, or expires, thousands of times.
 * Every answer is one a client can act on (the stream to the end, 204 or 404), and once the streams
 * are closed no run and no fan-out of a run is left in the heap (the class histogram, after a full
 * collection).
 */
@ExtendWith(ArquillianExtension.class)
@ExtendWith(EveryStreamClosed.class)
public class RemovalRaceIT {

  private static final Logger LOG = Logger.getLogger(RemovalRaceIT.class.getName());
  private static final int PARALLEL = 8;
  private static final int DELETES = 1500;
  private static final int EXPIRIES = 300;
  private static final Duration WAIT = ofSeconds(30);
  private static final String TERMINAL = "event: run.cancelled";

  /** Ended runs are forgotten 120 ms after their end (swept every 100 ms). */
  @Deployment
  public static WebArchive deployment() {
    return Deployments.war(Map.of("chat.retention.minutes", "0.002"));
  }

  @ArquillianResource URL deployment;

  @Inject RunRegistry runs;

  @Inject StreamRegistry streams;

  @Resource ManagedExecutorService executor;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** The statuses a subscribe answered, over all races. */
  private final Set<Integer> answered = ConcurrentHashMap.newKeySet();

  /** Streams cut before their run's terminal event, and of those, streams resumed to it. */
  private final AtomicInteger cutUnderway = new AtomicInteger();

  private final AtomicInteger resumedAfterCut = new AtomicInteger();

  @Test
  public void streamsOpenedWhileTheirRunIsDeletedOrExpiresLeaveNothingBehind() throws Exception {
    AtomicInteger deleted = new AtomicInteger();
    inParallel(
        DELETES,
        () -> {
          String runId = endedRun();
          CompletableFuture<HttpResponse<String>> subscribe =
              http.sendAsync(request(runId, 0), HttpResponse.BodyHandlers.ofString());
          try {
            runs.delete(runId, Caller.ANYONE);
            deleted.incrementAndGet();
          } catch (RunNotFoundException expired) {
            // the sweep was first
          }
          record(
              subscribe.get(WAIT.toSeconds(), TimeUnit.SECONDS), runId); // a stream ends, or fails
        });
    AtomicInteger subscribes = new AtomicInteger();
    inParallel(
        EXPIRIES,
        () -> {
          String runId = endedRun();
          long deadline = System.nanoTime() + WAIT.toNanos();
          int status;
          do { // until the sweep has forgotten it: some of these meet the sweep
            assertTrue(System.nanoTime() < deadline, () -> runId + " was never forgotten");
            status = subscribe(runId);
            subscribes.incrementAndGet();
          } while (status != 404);
        });
    LOG.info(
        () ->
            DELETES
                + " subscribes raced a delete ("
                + deleted
                + " deleted, the rest expired first), "
                + subscribes
                + " raced "
                + EXPIRIES
                + " expiries; answers: "
                + answered
                + ", "
                + cutUnderway
                + " streams cut before the terminal event, "
                + resumedAfterCut
                + " of them resumed to it (the others' run was gone)");
    assertTrue(Set.of(200, 204, 404).containsAll(answered), () -> "answers: " + answered);
    assertTrue(answered.contains(404), "some subscribes came after the removal");

    await("every stream is closed").atMost(WAIT).until(() -> streams.openStreams() == 0);
    assertEquals(0, runs.size(), "no run is held as live");
    Heap.Live live = Heap.live();
    for (String kept :
        List.of(
            "dev.runstream.runs.entity.Run",
            "dev.runstream.runs.entity.EventLog",
            "dev.runstream.streaming.control.RunStream",
            "dev.runstream.streaming.control.StreamWriter")) {
      assertEquals(0, live.bytes(kept), () -> kept + " left in the heap");
    }
  }

  /** An external run, cancelled: its end committed, so it may be deleted and it expires. */
  private String endedRun() {
    String runId = runs.create(ExternalRuns.request(), null, Caller.ANYONE).runId();
    runs.cancel(runId, Caller.ANYONE);
    return runId;
  }

  /** A whole stream of the run, from its first event: the answer's status. */
  private int subscribe(String runId) throws InterruptedException {
    return record(answer(request(runId, 0)), runId);
  }

  private HttpResponse<String> answer(HttpRequest request) throws InterruptedException {
    try {
      return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("a stream did not end within " + WAIT + ": " + request.uri(), e);
    }
  }

  private HttpRequest request(String runId, long lastEventId) {
    URI events =
        URI.create(deployment.toExternalForm()).resolve("api/v1/chat/runs/" + runId + "/events");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(events)
            .header("Accept", "text/event-stream")
            .timeout(Duration.ofSeconds(30));
    if (lastEventId > 0) {
      request.header("Last-Event-ID", Long.toString(lastEventId));
    }
    return request.build();
  }

  /**
   * A stream that ended before the run's terminal event was cut: because the run went under it
   * (then its client's reconnect hears that it is gone), or for another reason (a store read that
   * failed under this load), after which the reconnect resumes it to the end.
   */
  private int record(HttpResponse<String> answer, String runId) throws InterruptedException {
    answered.add(answer.statusCode());
    if (answer.statusCode() == 200 && !answer.body().contains(TERMINAL)) {
      cutUnderway.incrementAndGet();
      HttpResponse<String> resumed = answer(request(runId, lastId(answer.body())));
      if (resumed.statusCode() == 200) {
        resumedAfterCut.incrementAndGet();
        assertTrue(resumed.body().contains(TERMINAL), () -> "resumed: " + resumed.body());
      } else {
        assertEquals(404, resumed.statusCode(), "the reconnect of a stream cut by the removal");
      }
    }
    return answer.statusCode();
  }

  /** The id of the last event of a stream's text (0 for none). */
  private static long lastId(String stream) {
    long last = 0;
    for (String line : stream.lines().toList()) {
      if (line.startsWith("id: ")) {
        last = Long.parseLong(line.substring(4).trim());
      }
    }
    return last;
  }

  private interface Race {
    void run() throws Exception;
  }

  /** {@code times} races, {@link #PARALLEL} at a time, on the container's threads. */
  private void inParallel(int times, Race race) throws Exception {
    AtomicInteger left = new AtomicInteger(times);
    List<Future<?>> lanes = new ArrayList<>();
    for (int i = 0; i < PARALLEL; i++) {
      lanes.add(
          executor.submit(
              () -> {
                while (left.getAndDecrement() > 0) {
                  race.run();
                }
                return null;
              }));
    }
    for (Future<?> lane : lanes) {
      lane.get();
    }
  }
}
