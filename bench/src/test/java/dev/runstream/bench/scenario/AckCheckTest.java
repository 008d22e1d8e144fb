package dev.runstream.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.bench.api.EventTypes;
import org.junit.jupiter.api.Test;

/** A run's acknowledged ids against its history as streamed back. */
class AckCheckTest {

  private final AckCheck check = new AckCheck();

  @Test
  void historyHoldingEveryAcknowledgedTickIsOk() {
    check.acknowledged(new long[] {3, 4, 5}, new long[] {1, 2, 3}, 3);
    history(ticks(1, 2, 3), 6);
    assertTrue(check.ok());
    assertEquals(3, check.acknowledged());
    assertEquals(0, check.missing());
    assertNull(check.error());
  }

  @Test
  void acknowledgedIdTheHistoryLacksIsMissing() {
    check.acknowledged(new long[] {3, 4, 5}, new long[] {1, 2, 3}, 3);
    check.streamed(1, EventTypes.RUN_CREATED, -1);
    check.streamed(2, EventTypes.RUN_IN_PROGRESS, -1);
    check.streamed(3, EventTypes.TICK, 1);
    check.streamed(4, EventTypes.TICK, 2);
    check.streamed(5, EventTypes.RUN_COMPLETED, -1);
    check.ended(null);
    assertEquals(1, check.missing());
    assertFalse(check.ok());
  }

  @Test
  void acknowledgedIdCarryingAnotherSeqIsWrong() {
    check.acknowledged(new long[] {3, 4}, new long[] {1, 2}, 2);
    history(new long[] {1, 7}, 5);
    assertEquals(1, check.mismatched());
    assertEquals(0, check.missing());
    assertFalse(check.ok());
  }

  @Test
  void storedTickThatNoAnswerAcknowledgedIsCountedButNotAFault() {
    check.acknowledged(new long[] {3, 5}, new long[] {1, 3}, 2);
    history(ticks(1, 2, 3), 6);
    assertEquals(1, check.unacknowledged());
    assertTrue(check.ok());
  }

  @Test
  void acknowledgementsThatDoNotRiseAreOutOfOrder() {
    check.acknowledged(new long[] {4, 3}, new long[] {2, 1}, 2);
    history(ticks(1, 2), 5);
    assertEquals(1, check.outOfOrder());
    assertFalse(check.ok());
  }

  @Test
  void idAcknowledgedTwiceIsAFault() {
    check.acknowledged(new long[] {3}, new long[] {1}, 1);
    check.acknowledged(new long[] {3}, new long[] {2}, 1);
    history(ticks(2), 4);
    assertEquals(1, check.ackedTwice());
    assertFalse(check.ok());
  }

  @Test
  void gapInTheHistoryIsAFault() {
    check.acknowledged(new long[] {3}, new long[] {1}, 1);
    check.streamed(1, EventTypes.RUN_CREATED, -1);
    check.streamed(3, EventTypes.TICK, 1);
    check.streamed(4, EventTypes.RUN_COMPLETED, -1);
    check.ended(null);
    assertEquals(1, check.gaps());
    assertFalse(check.ok());
  }

  @Test
  void duplicateInTheHistoryIsAFaultAndNotASecondMatch() {
    check.acknowledged(new long[] {3}, new long[] {1}, 1);
    check.streamed(1, EventTypes.RUN_CREATED, -1);
    check.streamed(2, EventTypes.RUN_IN_PROGRESS, -1);
    check.streamed(3, EventTypes.TICK, 1);
    check.streamed(3, EventTypes.TICK, 1);
    check.streamed(4, EventTypes.RUN_COMPLETED, -1);
    check.ended(null);
    assertEquals(1, check.duplicates());
    assertEquals(0, check.missing());
    assertFalse(check.ok());
  }

  @Test
  void historyEndingBeforeTheTerminalEventIsAFault() {
    check.acknowledged(new long[] {3}, new long[] {1}, 1);
    check.streamed(1, EventTypes.RUN_CREATED, -1);
    check.streamed(2, EventTypes.RUN_IN_PROGRESS, -1);
    check.streamed(3, EventTypes.TICK, 1);
    check.ended(null);
    assertEquals(EventIds.ENDED_EARLY, check.error());
    assertFalse(check.ok());
  }

  @Test
  void checksAddUpAndAllAreOkOnlyWhenEveryRunIs() {
    AckCheck bad = new AckCheck();
    bad.acknowledged(new long[] {3}, new long[] {1}, 1);
    bad.streamed(1, EventTypes.RUN_CREATED, -1);
    bad.ended("read: connection reset");
    check.acknowledged(new long[] {3}, new long[] {1}, 1);
    history(ticks(1), 4);
    var figures = AppendFigures.checks(java.util.List.of(check, bad));
    assertEquals(2, figures.get("runs_checked"));
    assertEquals(1L, figures.get("runs_ok"));
    assertEquals(false, figures.get("all_ok"));
    assertEquals(2L, figures.get("acknowledged"));
    assertEquals(1L, figures.get("missing"));
    assertEquals(java.util.Map.of("read: connection reset", 1L), figures.get("stream_errors"));
  }

  /** run.created, run.in_progress, ticks carrying {@code seqs} from id 3, then run.completed. */
  private void history(long[] seqs, long terminalId) {
    check.streamed(1, EventTypes.RUN_CREATED, -1);
    check.streamed(2, EventTypes.RUN_IN_PROGRESS, -1);
    for (int i = 0; i < seqs.length; i++) {
      check.streamed(3 + i, EventTypes.TICK, seqs[i]);
    }
    check.streamed(terminalId, EventTypes.RUN_COMPLETED, -1);
    check.ended(null);
  }

  private static long[] ticks(long... seqs) {
    return seqs;
  }
}
