package dev.runstream.streaming.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.streaming.entity.StreamLimitException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StreamSlotsTest {

  private static StreamLimitException.Scope refused(
      StreamSlots slots, AtomicInteger run, String subject) {
    return assertThrows(StreamLimitException.class, () -> slots.take(run, subject)).scope();
  }

  @Test
  void aSubjectHasAtMostItsLimitOpenAndOthersAreNotCountedWithIt() {
    StreamSlots slots = new StreamSlots(10, 2, 100, 3);
    AtomicInteger run = new AtomicInteger();
    StreamSlots.Slot first = slots.take(run, "alice");
    slots.take(run, "alice");
    StreamLimitException refusal =
        assertThrows(StreamLimitException.class, () -> slots.take(run, "alice"));
    assertEquals(StreamLimitException.Scope.SUBJECT, refusal.scope());
    assertEquals(2, refusal.limit());
    assertEquals(3, refusal.retryAfterSeconds());
    assertEquals(2, run.get(), "the refused stream holds no slot of the run");
    assertEquals(2, slots.open(), "nor of the server");

    slots.take(run, "bob");
    slots.take(run, null); // identity off: no subject, not counted per subject
    slots.take(run, null);
    slots.take(run, null);
    assertEquals(2, slots.open("alice"));
    assertEquals(1, slots.open("bob"));

    first.release();
    slots.take(run, "alice");
    assertEquals(2, slots.open("alice"));
  }

  @Test
  void aSlotIsGivenBackOnceHoweverOftenItIsReleased() {
    StreamSlots slots = new StreamSlots(10, 2, 100, 3);
    AtomicInteger run = new AtomicInteger();
    StreamSlots.Slot slot = slots.take(run, "alice");
    slots.take(run, "alice");
    slot.release();
    slot.release();
    slot.release();
    assertEquals(1, slots.open("alice"));
    assertEquals(1, run.get());
    assertEquals(1, slots.open());
  }

  @Test
  void aSubjectIsForgottenWithItsLastStream() {
    StreamSlots slots = new StreamSlots(1000, 5, 10_000, 3);
    AtomicInteger run = new AtomicInteger();
    List<StreamSlots.Slot> taken = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      taken.add(slots.take(run, "user-" + i));
    }
    assertEquals(500, slots.subjects());
    taken.forEach(StreamSlots.Slot::release);
    assertEquals(0, slots.subjects());
    assertEquals(0, slots.open());
  }

  @Test
  void aRefusalOfTheRunOrTheServerTakesNoSlotOfTheSubject() {
    StreamSlots slots = new StreamSlots(1, 2, 3, 3);
    AtomicInteger full = new AtomicInteger();
    slots.take(full, "alice");
    assertEquals(StreamLimitException.Scope.RUN, refused(slots, full, "alice"));
    assertEquals(1, slots.open("alice"));

    slots.take(new AtomicInteger(), "bob");
    slots.take(new AtomicInteger(), "carol");
    AtomicInteger another = new AtomicInteger();
    assertEquals(StreamLimitException.Scope.SERVER, refused(slots, another, "dave"));
    assertEquals(0, slots.open("dave"));
    assertEquals(3, slots.subjects(), "dave's refused stream left no entry");
    assertEquals(0, another.get());
  }

  @Test
  void theSubjectsLimitMustBeAtLeastOneAndBelowTheServers() {
    for (int perSubject : new int[] {0, -1, 10, 11}) {
      IllegalArgumentException refused =
          assertThrows(IllegalArgumentException.class, () -> new StreamSlots(5, perSubject, 10, 3));
      assertTrue(
          refused.getMessage().contains("chat.limits.streams-per-subject")
              && refused.getMessage().contains("chat.limits.streams-total (10)"),
          refused.getMessage());
    }
    new StreamSlots(5, 9, 10, 3);
  }
}
