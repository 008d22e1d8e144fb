package dev.runstream.streaming.boundary;

import static java.time.Duration.ofSeconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.runs.control.RunRegistry;
import dev.runstream.runs.entity.Caller;
import dev.runstream.runs.entity.Run;
import dev.runstream.streaming.control.StreamRegistry;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.EveryStreamClosed;
import dev.runstream.testing.ExternalRuns;
import dev.runstream.testing.Heap;
import dev.runstream.testing.SocketClient;
import dev.runstream.testing.WaitingThreads;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In the container: what a client that never reads costs while it is still connected and not yet
 * cut (here it is never cut for lag or time): the container's write queue for its connection and
 * the stream's cursor, not the run's history, and no thread.
 */
@ExtendWith(ArquillianExtension.class)
@ExtendWith(EveryStreamClosed.class)
public class StuckClientsIT {

  private static final Logger LOG = Logger.getLogger(StuckClientsIT.class.getName());
  private static final Duration WAIT = ofSeconds(30);
  private static final int STUCK = 8;
  private static final int EVENTS = 4000;
  private static final int EVENT_BYTES = 2048;

  /** The bound for one client that never reads: under 1 MiB of heap. */
  private static final long STUCK_CLIENT_BYTES = 1L << 20;

  @Deployment
  public static WebArchive deployment() {
    return Deployments.war(
        Map.of(
            // neither bound cuts the clients during the test: their cost while connected shows
            "chat.limits.subscriber-backlog", "1000000",
            "chat.stream.write-timeout-ms", "600000",
            "chat.store.h2-cache-kb", "1024"));
  }

  @ArquillianResource URL deployment;

  @Inject RunRegistry runs;

  @Inject StreamRegistry streams;

  @Test
  public void aClientThatNeverReadsCostsItsConnectionsWriteQueueNotTheRunsHistory()
      throws Exception {
    String runId = runWithHistory();
    Heap.Live before = Heap.live();
    URI uri =
        URI.create(deployment.toExternalForm()).resolve("api/v1/chat/runs/" + runId + "/events");
    WaitingThreads waits = new WaitingThreads("control.WatchedSink", "write", "close");
    List<SocketClient> stuck = new ArrayList<>();
    try {
      for (int i = 0; i < STUCK; i++) {
        stuck.add(SocketClient.subscribe(uri));
      }
      await("every stream has filled what its client's connection holds, and waits")
          .atMost(WAIT)
          .until(() -> !waits.sample() && streams.waitingOnClients(runId) == STUCK);
      Heap.Live connected = Heap.live();
      long each = (connected.total() - before.total()) / STUCK;
      LOG.info(
          () ->
              "live heap: "
                  + Heap.mib(before.total())
                  + " with a run of "
                  + Heap.mib((long) EVENTS * EVENT_BYTES)
                  + " of events, "
                  + Heap.mib(connected.total())
                  + " with "
                  + STUCK
                  + " clients that never read waiting: "
                  + each / 1024
                  + " KiB each");
      assertTrue(
          each < STUCK_CLIENT_BYTES,
          () ->
              each / 1024
                  + " KiB for each client that never reads; grown: "
                  + connected.grownSince(before, 8));
      assertEquals(STUCK, streams.openStreams(), "none was cut");
      assertEquals(
          0,
          waits.seen(),
          () -> "no thread waited on a client that does not read:" + waits.firstStack());
    } finally {
      for (SocketClient client : stuck) {
        client.reset();
      }
    }
    streams.disconnect(runId); // as a delete, an expiry or a shutdown does
    await("the run's streams end, whatever their clients do")
        .atMost(WAIT)
        .until(() -> !waits.sample() && streams.openStreams() == 0);
    assertEquals(
        0,
        waits.seen(),
        () -> "no thread waited in a close on a gone client:" + waits.firstStack());
  }

  /** A live external run with a history of {@link #EVENTS} events of {@link #EVENT_BYTES} bytes. */
  private String runWithHistory() {
    Run run =
        runs.find(runs.create(ExternalRuns.request(), null, Caller.ANYONE).runId(), Caller.ANYONE);
    String pad = "x".repeat(EVENT_BYTES);
    for (int n = 0; n < EVENTS; n++) {
      run.appendCustom("tick", Json.createObjectBuilder().add("n", n).add("pad", pad).build());
    }
    return run.id(); // live: its streams wait for more
  }
}
