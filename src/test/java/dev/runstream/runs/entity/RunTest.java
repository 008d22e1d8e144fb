package dev.runstream.runs.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunTest {

  private static Run run(int eventLimit) {
    return run(eventLimit, Ownership.NONE);
  }

  private static Run run(int eventLimit, Ownership ownership) {
    return run(RunLimits.ofEvents(eventLimit), ownership);
  }

  private static Run run(RunLimits limits) {
    return run(limits, Ownership.NONE);
  }

  private static Run run(RunLimits limits, Ownership ownership) {
    return Run.create(
        "run_test",
        new RunRequest(
            List.of(new ChatMessage(Role.USER, "hi")),
            "external",
            "some-model",
            Map.of("k", "v"),
            JsonValue.EMPTY_JSON_OBJECT),
        limits,
        Journal.IN_MEMORY,
        null,
        ownership);
  }

  private static JsonObject pad(int chars) {
    return Json.createObjectBuilder().add("pad", "x".repeat(chars)).build();
  }

  private static List<String> types(Run run) {
    return run.eventsAfter(0, Integer.MAX_VALUE).stream().map(RunEvent::type).toList();
  }

  @Test
  void aNewRunIsQueuedWithItsCreatedEvent() {
    Run run = run(100);
    assertEquals(RunStatus.QUEUED, run.status());
    assertEquals(List.of("run.created"), types(run));
    JsonObject data = run.eventsAfter(0, 1).get(0).data();
    assertEquals("queued", data.getString("status"));
    assertEquals(1, data.getInt("last_event_id"), "the run as it is with its own event in");
  }

  @Test
  void theRunShowsItsOwnerInEveryRunEventAndNullWithoutOne() {
    Run owned = run(100, new Ownership("alice", "a".repeat(64)));
    owned.appendDelta("x");
    owned.complete();
    for (RunEvent event : owned.eventsAfter(0, 100)) {
      if (event.type().startsWith("run.")) {
        assertEquals("alice", event.data().getString("owner"), event.type());
        assertFalse(event.json().contains("aaaa"), "never the producer token's hash");
      }
    }
    JsonObject anyone = run(100).eventsAfter(0, 1).get(0).data();
    assertTrue(anyone.containsKey("owner") && anyone.isNull("owner"), anyone::toString);
  }

  @Test
  void completingJoinsTheDeltasIntoTheOutput() {
    Run run = run(100);
    run.appendDelta("Hello ");
    run.appendDelta("world");
    RunEvent completed = run.complete();
    assertEquals(
        List.of(
            "run.created", "run.in_progress", "message.delta", "message.delta", "run.completed"),
        types(run));
    assertEquals(RunStatus.COMPLETED, run.status());
    assertEquals("Hello world", completed.data().getJsonObject("output").getString("content"));
    assertEquals("completed", completed.data().getString("status"));
    assertTrue(run.ended().toCompletableFuture().isDone());
  }

  @Test
  void aCompletedMessageIsTheOutputEvenIfDeltasDiffer() {
    Run run = run(100);
    run.appendDelta("draft");
    run.completeMessage("final");
    assertEquals("final", run.complete().data().getJsonObject("output").getString("content"));
  }

  @Test
  void nothingIsAppendedAfterTheTerminalEvent() {
    Run run = run(100);
    run.appendDelta("a");
    run.cancel();
    long last = run.lastEventId();
    assertThrows(RunEndedException.class, () -> run.appendDelta("b"));
    assertThrows(RunEndedException.class, run::complete);
    assertThrows(RunEndedException.class, run::cancel);
    assertThrows(RunEndedException.class, () -> run.fail(new RunError("x", "y")));
    assertEquals(last, run.lastEventId());
    assertEquals("run.cancelled", run.eventsAfter(last - 1, 1).get(0).type());
    assertEquals(JsonValue.NULL, run.toJson().get("output"), "a cancelled run has no output");
  }

  @Test
  void failureCarriesItsError() {
    Run run = run(100);
    RunEvent failed = run.fail(new RunError("upstream_error", "It broke."));
    assertEquals("failed", failed.data().getString("status"));
    assertEquals("upstream_error", failed.data().getJsonObject("error").getString("code"));
    assertEquals(
        List.of("run.created", "run.failed"), types(run), "no run.in_progress for a queued run");
  }

  @Test
  void finishReasonAndUsageAreInTheRunOnlyWhenGiven() {
    Run plain = run(100);
    plain.complete();
    assertFalse(plain.toJson().containsKey("finish_reason"));
    assertFalse(plain.toJson().containsKey("usage"));

    Run run = run(100);
    run.appendDelta("Hi");
    JsonObject usage = Json.createObjectBuilder().add("total_tokens", 12).build();
    RunEvent completed = run.complete("length", usage);
    assertEquals("length", completed.data().getString("finish_reason"));
    assertEquals(usage, completed.data().getJsonObject("usage"));
    assertEquals("Hi", completed.data().getJsonObject("output").getString("content"));
    assertEquals(usage, run.toJson().getJsonObject("usage"));
    assertThrows(RunEndedException.class, () -> run.complete("stop", null));
    assertEquals("length", run.toJson().getString("finish_reason"), "an ended run keeps it");
  }

  @Test
  void aRunThatWouldOutgrowItsLogFailsWithTheLastSlot() {
    Run run = run(10);
    assertThrows(
        RunEndedException.class,
        () -> {
          for (int i = 0; i < 100; i++) {
            run.appendCustom("tick", Json.createObjectBuilder().add("n", i).build());
          }
        });
    assertEquals(10, run.lastEventId(), "every slot used, the last by the terminal event");
    RunEvent last = run.eventsAfter(9, 1).get(0);
    assertEquals("run.failed", last.type());
    assertEquals(Run.EVENT_LIMIT_EXCEEDED, last.data().getJsonObject("error").getString("code"));
  }

  @Test
  void theListenerSeesEveryAppendInLogOrderUntilTheEnd() {
    Run run = run(100);
    List<Long> seen = new ArrayList<>();
    assertTrue(run.listen(event -> seen.add(event.id())));
    run.appendDelta("a");
    run.complete();
    assertEquals(List.of(2L, 3L, 4L), seen);
    assertFalse(run.listen(event -> {}), "an ended run takes no listener");
    assertFalse(run.whileOpen(() -> {}));
  }

  @Test
  void eventEnvelopeIsOneLineOfJson() {
    Run run = run(100);
    RunEvent delta = run.appendDelta("line one\nline two");
    assertFalse(delta.json().contains("\n"), "a newline in text is escaped, not a second line");
    JsonObject envelope = Json.createReader(new java.io.StringReader(delta.json())).readObject();
    assertEquals(3, envelope.getInt("id"));
    assertEquals("run_test", envelope.getString("run_id"));
    assertEquals("message.delta", envelope.getString("type"));
    assertEquals("line one\nline two", envelope.getJsonObject("data").getString("delta"));
  }

  @Test
  void aRunFailsWithByteLimitExceededAtTheEventThatWouldTakeItPastItsBytes() {
    MemoryBudget budget = MemoryBudget.unlimited();
    Run run = run(new RunLimits(1000, 20_000, budget));
    RunLimitException full =
        assertThrows(
            RunLimitException.class,
            () -> {
              for (int i = 0; i < 100; i++) {
                run.appendCustom("tick", pad(1000));
              }
            });
    assertEquals(Run.BYTE_LIMIT_EXCEEDED, full.code());
    List<RunEvent> events = run.eventsAfter(0, 1000);
    RunEvent last = events.get(events.size() - 1);
    assertEquals("run.failed", last.type());
    assertEquals(Run.BYTE_LIMIT_EXCEEDED, last.data().getJsonObject("error").getString("code"));
    List<RunEvent> kept = events.subList(0, events.size() - 1); // the terminal event always fits
    long keptCost = kept.stream().mapToLong(Run::cost).sum();
    RunEvent tick = kept.get(kept.size() - 1);
    assertEquals("tick", tick.type());
    assertTrue(keptCost <= 20_000, keptCost + " bytes before the end");
    assertTrue(keptCost + Run.cost(tick) > 20_000, "the next tick did not fit: " + keptCost);
    assertEquals(keptCost + Run.cost(last), run.bytes());
  }

  @Test
  void runsSharingABudgetFailWithServerBusyOnlyWhenItIsSpentAndGiveTheirBytesBackAtTheEnd() {
    MemoryBudget budget = new MemoryBudget(30_000);
    RunLimits limits = new RunLimits(1000, 1_000_000, budget);
    Run first = run(limits);
    Run second = run(limits);
    for (int i = 0; i < 5; i++) {
      first.appendCustom("tick", pad(2000)); // about 4 KB each
    }
    assertEquals(first.bytes() + second.bytes(), budget.held(), "each run's bytes are taken");
    RunLimitException busy =
        assertThrows(
            RunLimitException.class,
            () -> {
              for (int i = 0; i < 100; i++) {
                second.appendCustom("tick", pad(2000));
              }
            });
    assertEquals(Run.SERVER_BUSY, busy.code());
    assertEquals(RunStatus.FAILED, second.status());
    assertEquals(RunStatus.IN_PROGRESS, first.status(), "the other run is untouched");
    assertEquals(first.bytes(), budget.held(), "a run gives its bytes back once its end is in");
    first.complete();
    assertEquals(0, budget.held());
  }

  @Test
  void aBatchCommittedAtOnceTakesTheStatusOfEveryEventInIt() {
    List<RunEvent> handed = new ArrayList<>();
    Run run =
        Run.create(
            "run_test",
            new RunRequest(
                List.of(new ChatMessage(Role.USER, "hi")),
                "external",
                null,
                Map.of(),
                JsonValue.EMPTY_JSON_OBJECT),
            RunLimits.ofEvents(100),
            (r, event, key) -> handed.add(event),
            null,
            Ownership.NONE);
    run.appendDelta("x"); // run.in_progress, then the delta
    run.committed(handed.get(handed.size() - 1).id()); // one commit for the three
    assertEquals(RunStatus.IN_PROGRESS, run.status(), "in progress, though its last is a delta");
  }

  @Test
  void aPostToARunThatHasEndedTakesNothingFromTheBudget() {
    MemoryBudget budget = new MemoryBudget(1_000_000);
    Run run = run(new RunLimits(1000, 1_000_000, budget));
    run.complete();
    assertEquals(0, budget.held());
    assertThrows(RunEndedException.class, () -> run.withRoomFor(10_000, 1, () -> null));
    assertEquals(0, budget.held(), "nothing kept for a run that gave everything back");
  }

  @Test
  void aPostThatEndsItsRunGivesBackWhatItPaidAhead() {
    MemoryBudget budget = new MemoryBudget(1_000_000);
    Run run = run(new RunLimits(1000, 1_000_000, budget));
    run.withRoomFor(
        10_000, 2, () -> run.appendCustom("tick", pad(100)) == null ? null : run.complete());
    assertEquals(0, budget.held(), "its end is committed: the run and the post gave all back");
  }

  @Test
  void aPostThatTheBudgetHasNoRoomForIsRefusedWithNothingAppended() {
    MemoryBudget budget = new MemoryBudget(20_000);
    Run run = run(new RunLimits(1000, 1_000_000, budget));
    run.start();
    long before = run.lastEventId();
    long held = budget.held();
    ServerBusyException refused =
        assertThrows(
            ServerBusyException.class,
            () ->
                run.withRoomFor(
                    12_000,
                    3,
                    () -> {
                      run.appendCustom("tick", pad(4000));
                      return null;
                    }));
    assertTrue(refused.retryAfterSeconds() > 0);
    assertEquals(before, run.lastEventId(), "nothing appended");
    assertEquals(held, budget.held(), "nothing kept from the budget");
    assertEquals(RunStatus.IN_PROGRESS, run.status());

    run.withRoomFor(
        3 * 2000,
        3,
        () -> {
          for (int i = 0; i < 3; i++) {
            run.appendCustom("tick", pad(1900));
          }
          return null;
        });
    assertEquals(before + 3, run.lastEventId(), "a post the budget has room for is appended whole");
    assertEquals(run.bytes(), budget.held(), "what it paid ahead and did not spend is given back");
  }
}
