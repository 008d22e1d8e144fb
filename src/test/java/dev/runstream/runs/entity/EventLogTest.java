package dev.runstream.runs.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EventLogTest {

  private static RunEvent event(long id) {
    return RunEvent.of(id, "run_x", "tick", Instant.EPOCH, JsonValue.EMPTY_JSON_OBJECT);
  }

  private static EventLog filled(int capacity, int count) {
    EventLog log = new EventLog(capacity);
    for (int i = 1; i <= count; i++) {
      log.append(event(i));
    }
    log.commit(count);
    return log;
  }

  @Test
  void readsAfterAnIdInOrderAcrossChunks() {
    EventLog log = filled(5000, 3000);
    assertEquals(3000, log.lastId());
    List<RunEvent> page = log.after(1020, 10);
    assertEquals(1021, page.get(0).id(), "the first event after 1020");
    assertEquals(1030, page.get(9).id());
    assertEquals(2000, log.after(1000, Integer.MAX_VALUE).size(), "to the end");
  }

  @Test
  void nothingAfterTheLastEvent() {
    EventLog log = filled(10, 3);
    assertEquals(List.of(), log.after(3, 10));
    assertEquals(List.of(), log.after(99, 10));
  }

  @Test
  void refusesAGapADuplicateAndAFullLog() {
    EventLog log = filled(3, 2);
    assertThrows(IllegalArgumentException.class, () -> log.append(event(4)), "gap");
    assertThrows(IllegalArgumentException.class, () -> log.append(event(2)), "duplicate");
    log.append(event(3));
    assertThrows(IllegalStateException.class, () -> log.append(event(4)), "full");
  }

  @Test
  void readersWhileAppendingSeeAContiguousPrefix() throws Exception {
    EventLog log = new EventLog(50_000);
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 1; i <= 50_000; i++) {
                log.append(event(i));
                log.commit(i);
              }
            });
    long cursor = 0;
    while (cursor < 50_000) {
      for (RunEvent event : log.after(cursor, 1000)) {
        assertEquals(cursor + 1, event.id(), "no gap, no duplicate, never null");
        cursor = event.id();
      }
    }
    writer.get();
    assertTrue(log.after(cursor, 1).isEmpty());
  }
}
