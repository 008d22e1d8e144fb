package dev.runstream.streaming.boundary;

import static java.time.Duration.ofSeconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.runs.control.RunRegistry;
import dev.runstream.runs.entity.Caller;
import dev.runstream.runs.entity.Run;
import dev.runstream.streaming.control.StreamRegistry;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.EveryStreamClosed;
import dev.runstream.testing.ExternalRuns;
import dev.runstream.testing.Heap;
import dev.runstream.testing.RawStream;
import dev.runstream.testing.Received;
import dev.runstream.testing.SocketClient;
import dev.runstream.testing.WaitingThreads;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.LongStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In the container: clients that stop reading or vanish cost the server neither memory nor the
 * other subscribers' time, and are cut; a cut client resumes and loses nothing.
 */
@ExtendWith(ArquillianExtension.class)
@ExtendWith(EveryStreamClosed.class)
public class SlowSubscribersIT {

  private static final Logger LOG = Logger.getLogger(SlowSubscribersIT.class.getName());
  private static final Duration WAIT = ofSeconds(30);
  private static final int BACKLOG = 2048;
  private static final int AHEAD = 1000; // the producer waits for the healthy ones this far back

  /** Longer than any wait for 100 events on a busy machine, far shorter than a blocked write. */
  private static final Duration STALL = ofSeconds(10);

  private static final long WRITE_TIMEOUT_MS = 2000;
  private static final int EVENTS = 6_000;
  private static final int EVENT_BYTES = 2048;
  private static final int STUCK = 8;

  /** What one client that never reads may cost (the bound: under 1 MiB). */
  private static final long STUCK_CLIENT_BYTES = 1L << 20;

  /** A stream's writer (which holds its run) and a run's events: none may outlive the run. */
  private static final List<String> KEPT_PER_STREAM =
      List.of("dev.runstream.streaming.control.StreamWriter", "dev.runstream.runs.entity.RunEvent");

  /** Threads waiting in a write or a close of a client's sink: there must never be one. */
  private final WaitingThreads waits = new WaitingThreads("control.WatchedSink", "write", "close");

  @Deployment
  public static WebArchive deployment() {
    return Deployments.war(
        Map.of(
            "chat.limits.subscriber-backlog", Integer.toString(BACKLOG),
            "chat.stream.write-timeout-ms", Long.toString(WRITE_TIMEOUT_MS),
            // the heap measured here is the stream path's: the store's page cache stays small
            "chat.store.h2-cache-kb", "1024"));
  }

  @ArquillianResource URL deployment;

  @Inject RunRegistry runs;

  @Inject StreamRegistry streams;

  @Test
  public void subscribersThatStopReadingAreCutWhileOthersGetEverythingInTime() throws Exception {
    warmUpTheStore();
    Heap.Live before = Heap.live();
    long baseline = before.total();
    String runId =
        runs.create(ExternalRuns.request(), null, Caller.ANYONE)
            .runId(); // the test keeps no reference to the run itself
    URI uri = eventsUri(runId);
    List<SocketClient> stuck = new ArrayList<>();
    List<RawStream> healthy = new ArrayList<>();
    try {
      for (int i = 0; i < STUCK; i++) {
        stuck.add(SocketClient.subscribe(uri));
      }
      for (int i = 0; i < 3; i++) {
        healthy.add(RawStream.open(uri, Map.of()));
      }
      await().atMost(WAIT).until(() -> streams.subscribers(runId) == STUCK + 3);

      long start = System.nanoTime();
      Progress progress = appendTensOfMegabytes(runId, healthy);
      long last = progress.lastEventId();
      for (RawStream subscriber : healthy) {
        assertContiguous(ids(subscriber.eventsUntilEnd(WAIT)), 1, last);
      }
      Duration delivering = since(start);
      LOG.info(
          () ->
              EVENTS
                  + " events of "
                  + EVENT_BYTES
                  + " bytes delivered to 3 healthy subscribers in "
                  + delivering.toMillis()
                  + " ms beside "
                  + STUCK
                  + " that never read; the longest the producer waited for them: "
                  + progress.longestWait().toMillis()
                  + " ms");
      assertTrue(
          progress.longestWait().compareTo(STALL) < 0,
          "no healthy subscriber stalled: " + progress.longestWait());
      await("every thread is out of the stuck clients' sinks")
          .atMost(WAIT)
          .until(() -> !waits.sample() && writersAtWork() == 0);
      assertEquals(
          0,
          waits.seen(),
          () ->
              "no thread ever waited in a write or close on a client that does not read:"
                  + waits.firstStack());

      healthy.forEach(RawStream::close); // their buffers live in this JVM too
      healthy.clear();
      Heap.Live connected = Heap.live();

      for (SocketClient client : stuck) {
        long resumeAfter = readUntilCut(client, last);
        if (client == stuck.get(0)) {
          try (RawStream resumed =
              RawStream.open(uri, Map.of("Last-Event-ID", Long.toString(resumeAfter)))) {
            assertContiguous(ids(resumed.eventsUntilEnd(WAIT)), resumeAfter + 1, last);
          }
        }
        client.close();
      }
      long gone = Heap.usedAfterGc();
      long each = (connected.total() - gone) / STUCK;
      LOG.info(
          () ->
              "live heap: "
                  + Heap.mib(baseline)
                  + " before the run, "
                  + Heap.mib(connected.total())
                  + " with the run and "
                  + STUCK
                  + " cut clients that never read still connected, "
                  + Heap.mib(gone)
                  + " once they read and left: "
                  + each / 1024
                  + " KiB each");
      assertTrue(
          each < STUCK_CLIENT_BYTES,
          () ->
              "a client that never reads costs at most the container's write queue for its"
                  + " connection: "
                  + each / 1024
                  + " KiB each; grown since before the run: "
                  + connected.grownSince(before, 8));
      runs.delete(runId, Caller.ANYONE);
      long log = (long) EVENTS * EVENT_BYTES;
      await("nothing of the run or of its streams is left once the clients are gone")
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                Heap.Live after = Heap.live();
                for (String kept : KEPT_PER_STREAM) {
                  assertTrue(
                      after.bytes(kept) <= before.bytes(kept),
                      () -> kept + ": " + before.bytes(kept) + " -> " + after.bytes(kept) + " B");
                }
                assertTrue(
                    after.total() - baseline < log / 2, // the store's own bookkeeping grows
                    () ->
                        Heap.mib(baseline)
                            + " before the run of "
                            + Heap.mib(log)
                            + ", "
                            + Heap.mib(after.total())
                            + " after; grown: "
                            + after.grownSince(before, 8));
              });
    } finally {
      healthy.forEach(RawStream::close);
      for (SocketClient client : stuck) {
        client.close();
      }
    }
  }

  /**
   * Appends {@link #EVENTS} events of {@link #EVENT_BYTES} bytes, never more than {@link #AHEAD}
   * ahead of the slowest healthy subscriber; the stuck ones must be cut meanwhile. Samples for
   * threads waiting on a client as it goes. Ends the run.
   */
  private Progress appendTensOfMegabytes(String runId, List<RawStream> healthy) {
    Run run = runs.find(runId, Caller.ANYONE);
    String pad = "x".repeat(EVENT_BYTES);
    Duration longestWait = Duration.ZERO;
    for (int n = 0; n < EVENTS; n++) {
      if (n % 100 == 0) {
        waits.sample();
        long behind = run.lastEventId() - AHEAD;
        long waiting = System.nanoTime();
        await("the healthy ones keep up, whatever the stuck ones do")
            .atMost(WAIT)
            .until(() -> healthy.stream().allMatch(h -> h.lastIdSeen() >= behind));
        Duration waited = since(waiting);
        longestWait = waited.compareTo(longestWait) > 0 ? waited : longestWait;
      }
      run.appendCustom("tick", Json.createObjectBuilder().add("n", n).add("pad", pad).build());
    }
    await("the ones that stopped reading are cut")
        .atMost(ofSeconds(10))
        .until(() -> !waits.sample() && streams.subscribers(runId) == 3);
    run.complete();
    await("the end is committed").atMost(WAIT).until(() -> run.status().ended());
    return new Progress(run.lastEventId(), longestWait);
  }

  /**
   * Writes and deletes a run of a few megabytes first, so that what the store keeps once it has
   * been used (its page cache, filled to its bound here, and statements) is in the baseline: the
   * heap measured here is the stream path's.
   */
  private void warmUpTheStore() {
    Run run =
        runs.find(runs.create(ExternalRuns.request(), null, Caller.ANYONE).runId(), Caller.ANYONE);
    String pad = "x".repeat(EVENT_BYTES);
    for (int n = 0; n < 2000; n++) {
      run.appendCustom("warm", Json.createObjectBuilder().add("n", n).add("pad", pad).build());
    }
    run.complete();
    await("the warm-up run is stored").atMost(WAIT).until(() -> run.status().ended());
    runs.delete(run.id(), Caller.ANYONE);
  }

  /** How a producer fared: the run's last event, and the longest it waited for the readers. */
  private record Progress(long lastEventId, Duration longestWait) {}

  @Test
  public void aClientThatVanishesIsFoundAtTheNextHeartbeat() throws Exception {
    Run run =
        runs.find(runs.create(ExternalRuns.request(), null, Caller.ANYONE).runId(), Caller.ANYONE);
    SocketClient vanishing = SocketClient.subscribe(eventsUri(run.id()));
    await().atMost(WAIT).until(() -> streams.subscribers(run.id()) == 1);
    vanishing.reset();
    await("the heartbeat (every second here) finds it gone")
        .atMost(ofSeconds(10))
        .until(() -> streams.subscribers(run.id()) == 0);
    run.cancel();
  }

  /**
   * A live run that appends nothing more: its clients are never behind the live end, so only the
   * write timeout can cut one that stopped reading its history, and only once the timeout has
   * passed.
   */
  @Test
  public void aClientThatTakesNoWriteForTheWriteTimeoutIsCutAndResumesWhereItStopped()
      throws Exception {
    Run run =
        runs.find(runs.create(ExternalRuns.request(), null, Caller.ANYONE).runId(), Caller.ANYONE);
    String pad = "x".repeat(EVENT_BYTES);
    for (int n = 0; n < 4000; n++) { // 8 MiB: more than the kernel's buffers hold
      run.appendCustom("tick", Json.createObjectBuilder().add("n", n).add("pad", pad).build());
    }
    long last = run.lastEventId();
    long start = System.nanoTime();
    List<SocketClient> stuck = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        stuck.add(SocketClient.subscribe(eventsUri(run.id())));
      }
      await("the write timeout cuts the clients that stopped reading")
          .atMost(WAIT)
          .until(() -> !waits.sample() && streams.openStreams() == 0);
      Duration untilCut = since(start);
      assertTrue(
          untilCut.toMillis() >= WRITE_TIMEOUT_MS,
          () -> "cut after " + untilCut.toMillis() + " ms, before the write timeout");
      assertEquals(0, waits.seen(), () -> "no thread waited on them:" + waits.firstStack());
      for (SocketClient client : stuck) {
        long resumeAfter = readUntilCut(client, last);
        try (RawStream resumed =
            RawStream.open(
                eventsUri(run.id()), Map.of("Last-Event-ID", Long.toString(resumeAfter)))) {
          assertContiguous(
              ids(resumed.events((int) (last - resumeAfter), WAIT)), resumeAfter + 1, last);
        }
      }
    } finally {
      for (SocketClient client : stuck) {
        client.close();
      }
      run.cancel();
      await("the run's end is committed").atMost(WAIT).until(() -> run.status().ended());
      runs.delete(run.id(), Caller.ANYONE);
    }
  }

  /** Threads in a write or close of a client's sink (on Payara a blocked write shows here). */
  private static long writersAtWork() {
    return Thread.getAllStackTraces().values().stream()
        .filter(
            stack ->
                Arrays.stream(stack)
                    .anyMatch(frame -> frame.getClassName().endsWith("control.WatchedSink")))
        .count();
  }

  private URI eventsUri(String runId) {
    return URI.create(deployment.toExternalForm()).resolve("api/v1/chat/runs/" + runId + "/events");
  }

  /**
   * Reads what a cut client got, to the end the server sent: the start of the stream, contiguous,
   * ending before {@code last}; returns the id it resumes after.
   */
  private static long readUntilCut(SocketClient client, long last) throws Exception {
    List<Long> received = client.readEventIds(ofSeconds(3));
    assertFalse(received.isEmpty(), "it got the start of the stream");
    long resumeAfter = received.get(received.size() - 1);
    assertTrue(resumeAfter < last, "it was cut before the end: " + resumeAfter);
    assertContiguous(received, 1, resumeAfter);
    return resumeAfter;
  }

  private static List<Long> ids(List<Received> events) {
    return events.stream().map(Received::id).toList();
  }

  private static void assertContiguous(List<Long> ids, long first, long last) {
    assertEquals(LongStream.rangeClosed(first, last).boxed().toList(), ids);
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
