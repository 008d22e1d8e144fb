package dev.runstream.streaming.boundary;

import static java.time.Duration.ofSeconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.runs.control.RunRegistry;
import dev.runstream.runs.entity.Caller;
import dev.runstream.runs.entity.ChatMessage;
import dev.runstream.runs.entity.Role;
import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunEvent;
import dev.runstream.runs.entity.RunRequest;
import dev.runstream.streaming.control.StreamRegistry;
import dev.runstream.testing.Api;
import dev.runstream.testing.Deployments;
import dev.runstream.testing.EventRecorder;
import dev.runstream.testing.EveryStreamClosed;
import dev.runstream.testing.RawStream;
import dev.runstream.testing.Received;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The event stream: history then live, resume, heartbeats, fan-out, the end of a stream. */
@ExtendWith(ArquillianExtension.class)
@ExtendWith(EveryStreamClosed.class)
public class StreamsIT {

  private static final Duration WAIT = ofSeconds(20);
  private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

  @Deployment
  public static WebArchive deployment() {
    return Deployments.war();
  }

  @ArquillianResource URL deployment;

  @Inject RunRegistry runs;

  @Inject StreamRegistry streams;

  @Test
  @RunAsClient
  public void streamOfUnknownRunAnswers404Problem() throws Exception {
    try (Api api = new Api(deployment);
        Response response = api.events("run_doesNotExist0000").request("text/event-stream").get()) {
      assertEquals(404, response.getStatus());
      assertEquals(Api.PROBLEM_JSON, response.getMediaType().toString());
      JsonObject problem = Api.json(response);
      assertEquals(404, problem.getInt("status"));
      assertEquals("urn:runstream:problem:run-not-found", problem.getString("type"));
      assertTrue(problem.getString("detail").startsWith("No run has this id"));
    }
    try (RawStream raw = RawStream.open(eventsUri("run_doesNotExist0000"), Map.of())) {
      assertEquals(404, raw.status(), "a raw client gets the problem too, before any stream");
      assertEquals(Api.PROBLEM_JSON, raw.header("Content-Type").orElseThrow());
    }
  }

  @Test
  @RunAsClient
  public void emptyRunStreamStaysOpenWithHeartbeatsUntilEventsArrive() {
    try (Api api = new Api(deployment)) {
      String id = api.external().getString("id");
      try (EventRecorder subscriber = EventRecorder.open(api.events(id))) {
        subscriber.awaitCount(1, WAIT);
        subscriber.awaitPings(2, ofSeconds(10));
        assertEquals(List.of("run.created"), types(subscriber.events()), "nothing but pings yet");

        api.publish(id, "message.delta", Json.createObjectBuilder().add("delta", "Hi").build());
        List<Received> live = subscriber.awaitCount(3, WAIT);
        assertEquals(List.of("run.created", "run.in_progress", "message.delta"), types(live));
        assertEquals("Hi", live.get(2).data().getString("delta"));

        api.publish(id, "run.completed");
        List<Received> all = subscriber.awaitEnd(WAIT);
        assertEquals("run.completed", all.get(3).type());
        assertEquals("Hi", all.get(3).data().getJsonObject("output").getString("content"));
      }
    }
  }

  /** Clients cut at the same moment (a restart) do not all come back in the same millisecond. */
  @Test
  @RunAsClient
  public void eachStreamGetsItsOwnRetryHint() throws Exception {
    try (Api api = new Api(deployment)) {
      String id = api.external().getString("id");
      Set<Long> hints = new HashSet<>();
      for (int i = 0; i < 6; i++) {
        try (RawStream raw = RawStream.open(eventsUri(id), Map.of())) {
          List<String> frame = raw.nextFrame(WAIT);
          while (isComment(frame)) {
            frame = raw.nextFrame(WAIT);
          }
          hints.add(retryHint(RawStream.fields(frame)));
        }
      }
      assertTrue(hints.size() > 1, "six streams, spread hints: " + hints);
      api.publish(id, "run.completed");
    }
  }

  @Test
  @RunAsClient
  public void everyEventHasIdTypeAndJsonEnvelope() throws Exception {
    try (Api api = new Api(deployment)) {
      String id = api.echo("Every event is framed the same way.", 10).getString("id");
      try (RawStream raw = RawStream.open(eventsUri(id), Map.of())) {
        assertEquals(200, raw.status());
        assertTrue(raw.header("Content-Type").orElseThrow().startsWith("text/event-stream"));
        assertEquals("no-cache", raw.header("Cache-Control").orElseThrow());
        assertEquals("no", raw.header("X-Accel-Buffering").orElseThrow());
        assertTrue(isComment(raw.nextFrame(WAIT)), "a comment opens the stream at once");

        long expected = 1;
        String type = "";
        while (!type.equals("run.completed")) {
          List<String> frame = raw.nextFrame(WAIT);
          if (isComment(frame)) {
            continue; // a heartbeat
          }
          Map<String, String> fields = RawStream.fields(frame);
          assertEquals(Long.toString(expected), fields.get("id"), "ids count up from 1");
          if (expected == 1) {
            retryHint(fields); // comes with the first event
          } else {
            assertEquals(null, fields.get("retry"), "retry comes with the first event only");
          }
          type = fields.get("event");
          JsonObject envelope = Api.parse(fields.get("data"));
          assertEquals(expected, envelope.getJsonNumber("id").longValueExact());
          assertEquals(id, envelope.getString("run_id"));
          assertEquals(type, envelope.getString("type"));
          assertTrue(envelope.getString("created_at").matches(TIMESTAMP), envelope.toString());
          assertEquals(JsonValue.ValueType.OBJECT, envelope.get("data").getValueType());
          expected++;
        }
        assertEquals(List.of(RawStream.END), raw.nextFrame(WAIT), "the stream ends after it");
        assertEquals(expected - 1, api.get(id).getJsonNumber("last_event_id").longValueExact());
      }
    }
  }

  @Test
  @RunAsClient
  public void lateSubscriberGetsHistoryThenLive() {
    try (Api api = new Api(deployment)) {
      JsonObject run = api.echo("one two three four five six seven eight nine ten", 150);
      String id = run.getString("id");
      try (EventRecorder early = EventRecorder.open(api.events(id))) {
        int seenBeforeJoin = early.awaitCount(5, WAIT).size();
        try (EventRecorder late = EventRecorder.open(api.events(id))) {
          List<Received> all = early.awaitEnd(WAIT);
          assertTrue(seenBeforeJoin < all.size(), "the late one joined before the end");
          assertEquals(all, late.awaitEnd(WAIT), "history then live, the same as from the start");
          assertContiguous(all);
          String joined =
              all.stream()
                  .filter(e -> e.type().equals("message.delta"))
                  .map(e -> e.data().getString("delta"))
                  .reduce("", String::concat);
          String output =
              all.get(all.size() - 1).data().getJsonObject("output").getString("content");
          assertEquals("one two three four five six seven eight nine ten", output);
          assertEquals(output, joined, "the deltas joined are the output");
        }
      }
    }
  }

  @Test
  @RunAsClient
  public void resumesAfterLastEventIdHeaderOrQueryParameter() throws Exception {
    try (Api api = new Api(deployment)) {
      String id = api.echo("resume me after the third event please", 0).getString("id");
      List<Received> all;
      try (EventRecorder whole = EventRecorder.open(api.events(id))) {
        all = whole.awaitEnd(WAIT);
      }
      long last = all.size();
      assertEquals(List.of(4L, last), idRange(eventsUri(id), Map.of("Last-Event-ID", "3")));
      assertEquals(
          List.of(4L, last), idRange(URI.create(eventsUri(id) + "?last_event_id=3"), Map.of()));
      assertEquals(
          List.of(6L, last),
          idRange(URI.create(eventsUri(id) + "?last_event_id=2"), Map.of("Last-Event-ID", "5")),
          "the header is newer than the query parameter a page was loaded with");
    }
  }

  @Test
  @RunAsClient
  public void resumingALiveRunMissesNothingAndRepeatsNothing() throws Exception {
    try (Api api = new Api(deployment)) {
      String id = api.echo("a b c d e f g h i j k l", 100).getString("id");
      List<Received> first;
      try (EventRecorder dropped = EventRecorder.open(api.events(id))) {
        first = dropped.awaitCount(4, WAIT).subList(0, 4);
      }
      List<Received> rest = new ArrayList<>();
      try (RawStream resumed = RawStream.open(eventsUri(id), Map.of("Last-Event-ID", "4"))) {
        rest.addAll(resumed.eventsUntilEnd(WAIT));
        assertEquals(List.of(RawStream.END), resumed.nextFrame(WAIT));
      }
      List<Received> joined = new ArrayList<>(first);
      joined.addAll(rest);
      assertContiguous(joined);
      assertEquals("run.completed", joined.get(joined.size() - 1).type());
      assertEquals(api.get(id).getJsonNumber("last_event_id").longValueExact(), joined.size());
    }
  }

  @Test
  @RunAsClient
  public void endedRunWithNothingLeftAnswers204() throws Exception {
    try (Api api = new Api(deployment)) {
      String id = api.echo("short", 0).getString("id");
      try (EventRecorder whole = EventRecorder.open(api.events(id))) {
        whole.awaitEnd(WAIT);
      }
      long last = api.get(id).getJsonNumber("last_event_id").longValueExact();
      for (String after : List.of(Long.toString(last), Long.toString(last + 10))) {
        try (RawStream raw = RawStream.open(eventsUri(id), Map.of("Last-Event-ID", after))) {
          assertEquals(204, raw.status(), "after " + after);
        }
      }
      try (RawStream raw =
          RawStream.open(URI.create(eventsUri(id) + "?last_event_id=" + last), Map.of())) {
        assertEquals(204, raw.status());
      }
    }
  }

  @Test
  @RunAsClient
  public void lastEventIdThatIsNoEventIdAnswers400() throws Exception {
    try (Api api = new Api(deployment)) {
      String id = api.external().getString("id");
      for (String bad : List.of("abc", "-1", "1.5", "99999999999999999999", "2")) {
        try (RawStream raw = RawStream.open(eventsUri(id), Map.of("Last-Event-ID", bad))) {
          assertEquals(400, raw.status(), "Last-Event-ID " + bad);
          assertEquals(Api.PROBLEM_JSON, raw.header("Content-Type").orElseThrow());
        }
      }
      try (RawStream raw =
          RawStream.open(URI.create(eventsUri(id) + "?last_event_id=x"), Map.of())) {
        assertEquals(400, raw.status());
      }
      api.publish(id, "run.cancelled");
    }
  }

  @Test
  @RunAsClient
  public void hundredConcurrentSubscribersGetIdenticalSequences() {
    try (Api api = new Api(deployment)) {
      String text = String.join(" ", IntStream.range(0, 40).mapToObj(i -> "word" + i).toList());
      String id = api.echo(text, 25).getString("id");
      List<EventRecorder> subscribers = new ArrayList<>();
      try {
        for (int i = 0; i < 100; i++) {
          subscribers.add(EventRecorder.open(api.events(id)));
        }
        List<Received> reference = subscribers.get(0).awaitEnd(WAIT);
        assertContiguous(reference);
        assertEquals(api.get(id).getJsonNumber("last_event_id").longValueExact(), reference.size());
        for (EventRecorder subscriber : subscribers) {
          assertEquals(reference, subscriber.awaitEnd(WAIT));
        }
      } finally {
        subscribers.forEach(EventRecorder::close);
      }
    }
  }

  @Test
  @RunAsClient
  public void heartbeatsReachAnIdleStream() throws Exception {
    try (Api api = new Api(deployment)) {
      String id = api.external().getString("id");
      try (RawStream raw = RawStream.open(eventsUri(id), Map.of())) {
        assertTrue(isComment(raw.nextFrame(WAIT)));
        assertEquals("run.created", RawStream.fields(raw.nextFrame(WAIT)).get("event"));
        assertEquals(List.of(": ping"), raw.nextFrame(ofSeconds(5)), "one heartbeat a second");
        assertEquals(List.of(": ping"), raw.nextFrame(ofSeconds(5)));
      }
      api.publish(id, "run.cancelled");
    }
  }

  /** In the container: the registry drops the stream of a client that went away. */
  @Test
  public void closedClientsSinkIsRemovedFromRegistry() throws Exception {
    try (Api api = new Api(deployment)) {
      String id = api.external().getString("id");
      RawStream subscriber = RawStream.open(eventsUri(id), Map.of());
      subscriber.events(1, WAIT);
      assertEquals(1, streams.subscribers(id));
      subscriber.close();
      await("the heartbeat finds the closed connection")
          .atMost(ofSeconds(15))
          .until(() -> streams.subscribers(id) == 0);
      api.publish(id, "run.cancelled");
      await("every stream of every test is closed")
          .atMost(ofSeconds(15))
          .until(() -> streams.openStreams() == 0);
    }
  }

  /**
   * In the container: the server ends a run's streams (StreamRegistry.disconnect) while the run
   * goes on; words appended before anyone resubscribes go to the log, and a client resuming with
   * Last-Event-ID gets them and the rest of the run.
   */
  @Test
  public void runGoesOnWhileItsStreamsAreDisconnectedAndAClientResumes() throws Exception {
    try (Api api = new Api(deployment)) {
      String id = api.echo("one two three four five six seven eight nine ten", 100).getString("id");
      List<Received> got = new ArrayList<>();
      try (RawStream first = RawStream.open(eventsUri(id), Map.of())) {
        got.addAll(first.events(3, WAIT));
        streams.disconnect(id);
        for (List<String> frame = first.nextFrame(WAIT);
            !frame.equals(List.of(RawStream.END));
            frame = first.nextFrame(WAIT)) {
          RawStream.event(frame).ifPresent(got::add);
        }
      }
      long seen = got.get(got.size() - 1).id();
      await("words appended while no stream is open")
          .atMost(WAIT)
          .until(() -> runs.find(id, Caller.ANYONE).lastEventId() >= seen + 2);
      try (RawStream resumed =
          RawStream.open(eventsUri(id), Map.of("Last-Event-ID", Long.toString(seen)))) {
        got.addAll(resumed.eventsUntilEnd(WAIT));
      }
      assertContiguous(got);
      assertEquals("run.completed", got.get(got.size() - 1).type());
      assertEquals("completed", api.get(id).getString("status"));
    }
  }

  /**
   * In the container: a producer appends thousands of events while subscribers join at random
   * moments; each gets every event once, in order, exactly as the log holds it.
   */
  @Test
  public void subscribersJoiningWhileEventsAreAppendedSeeEveryEventOnce() throws Exception {
    Run run =
        runs.find(
            runs.create(
                    new RunRequest(
                        List.of(new ChatMessage(Role.USER, "seam")),
                        "external",
                        null,
                        Map.of(),
                        JsonValue.EMPTY_JSON_OBJECT),
                    null,
                    Caller.ANYONE)
                .runId(),
            Caller.ANYONE);
    Random random = new Random(42);
    TreeSet<Integer> joinPoints = new TreeSet<>();
    while (joinPoints.size() < 16) {
      joinPoints.add(random.nextInt(2500));
    }
    List<RawStream> subscribers = new ArrayList<>();
    try {
      CompletableFuture<Void> others =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < 8; i++) {
                  join(subscribers, run.id());
                }
              });
      for (int n = 0; n < 2500; n++) {
        if (joinPoints.contains(n)) {
          join(subscribers, run.id());
        }
        run.appendCustom("tick", Json.createObjectBuilder().add("n", n).build());
      }
      others.get();
      run.complete();
      run.endCommitted().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      List<RunEvent> log = run.eventsAfter(0, Integer.MAX_VALUE);
      assertEquals(run.lastEventId(), log.size());
      // appended as fast as the test can, events may get more than the subscriber backlog ahead
      // of a subscriber on a busy machine: the server cuts it (on WildFly, once, at event 1 066 of
      // 2 500), and it reconnects as an EventSource would. Cut or not, each sees every event once
      AtomicInteger reconnections = new AtomicInteger();
      for (RawStream subscriber : subscribers) {
        List<Received> got = subscriber.eventsUntilEndReconnecting(WAIT, reconnections);
        String after = "after " + reconnections + " reconnections of all subscribers";
        assertEquals(log.size(), got.size(), after);
        for (int i = 0; i < log.size(); i++) {
          assertEquals(log.get(i).id(), got.get(i).id(), after);
          assertEquals(Api.parse(log.get(i).json()), got.get(i).envelope(), after);
        }
      }
    } finally {
      subscribers.forEach(RawStream::close);
    }
  }

  private void join(List<RawStream> subscribers, String runId) {
    try {
      RawStream subscriber = RawStream.open(eventsUri(runId), Map.of());
      synchronized (subscribers) {
        subscribers.add(subscriber);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private URI eventsUri(String runId) {
    return URI.create(deployment.toExternalForm()).resolve("api/v1/chat/runs/" + runId + "/events");
  }

  /** The first and last event id of a whole (finite) stream. */
  private static List<Long> idRange(URI uri, Map<String, String> headers) throws Exception {
    List<Long> ids = new ArrayList<>();
    try (RawStream raw = RawStream.open(uri, headers)) {
      assertEquals(200, raw.status());
      for (List<String> frame = raw.nextFrame(WAIT);
          !frame.equals(List.of(RawStream.END));
          frame = raw.nextFrame(WAIT)) {
        String id = RawStream.fields(frame).get("id");
        if (id != null) {
          ids.add(Long.parseLong(id));
        }
      }
    }
    for (int i = 1; i < ids.size(); i++) {
      assertEquals(ids.get(i - 1) + 1, ids.get(i), "contiguous: " + ids);
    }
    return List.of(ids.get(0), ids.get(ids.size() - 1));
  }

  /** The frame's {@code retry:} hint, checked: 3 s plus up to 3 s of jitter (the defaults). */
  private static long retryHint(Map<String, String> fields) {
    String hint = fields.get("retry");
    assertTrue(hint != null, "the first event carries a retry: hint");
    long retry = Long.parseLong(hint);
    assertTrue(retry >= 3000 && retry <= 6000, "3 s plus up to 3 s of jitter: " + retry);
    return retry;
  }

  private static boolean isComment(List<String> frame) {
    return frame.stream().allMatch(line -> line.startsWith(":"));
  }

  private static void assertContiguous(List<Received> events) {
    for (int i = 0; i < events.size(); i++) {
      assertEquals(i + 1L, events.get(i).id(), "ids 1, 2, 3 ... without gap or duplicate");
      assertEquals(
          events.get(i).id(), events.get(i).envelope().getJsonNumber("id").longValueExact());
    }
  }

  private static List<String> types(List<Received> events) {
    return events.stream().map(Received::type).toList();
  }
}
