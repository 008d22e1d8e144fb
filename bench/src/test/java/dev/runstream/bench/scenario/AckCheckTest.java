package dev.runstream.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.bench.api.EventTypes;
import dev.runstream.bench.scenario.AckCheck.Ack;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run's acknowledged ids, single or batch ranges, against its history as streamed back. */
class AckCheckTest {

  private final AckCheck check = new AckCheck();

  @Test
  void historyHoldingEveryAcknowledgedTickIsOk() {
    singles(check, new long[] {3, 4, 5}, new long[] {1, 2, 3});
    history(ticks(1, 2, 3), 6);
    assertTrue(check.ok());
    assertEquals(3, check.acknowledged());
    assertEquals(0, check.missing());
    assertNull(check.error());
  }

  @Test
  void acknowledgedIdTheHistoryLacksIsMissing() {
    singles(check, new long[] {3, 4, 5}, new long[] {1, 2, 3});
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
    singles(check, new long[] {3, 4}, new long[] {1, 2});
    history(new long[] {1, 7}, 5);
    assertEquals(1, check.mismatched());
    assertEquals(0, check.missing());
    assertFalse(check.ok());
  }

  @Test
  void storedTickThatNoAnswerAcknowledgedIsCountedButNotAFault() {
    singles(check, new long[] {3, 5}, new long[] {1, 3});
    history(ticks(1, 2, 3), 6);
    assertEquals(1, check.unacknowledged());
    assertTrue(check.ok());
  }

  @Test
  void acknowledgementsThatDoNotRiseAreOutOfOrder() {
    singles(check, new long[] {4, 3}, new long[] {2, 1});
    history(ticks(1, 2), 5);
    assertEquals(1, check.outOfOrder());
    assertFalse(check.ok());
  }

  @Test
  void idAcknowledgedTwiceIsAFault() {
    singles(check, new long[] {3}, new long[] {1});
    singles(check, new long[] {3}, new long[] {2});
    history(ticks(2), 4);
    assertEquals(1, check.ackedTwice());
    assertFalse(check.ok());
  }

  @Test
  void gapInTheHistoryIsAFault() {
    singles(check, new long[] {3}, new long[] {1});
    check.streamed(1, EventTypes.RUN_CREATED, -1);
    check.streamed(3, EventTypes.TICK, 1);
    check.streamed(4, EventTypes.RUN_COMPLETED, -1);
    check.ended(null);
    assertEquals(1, check.gaps());
    assertFalse(check.ok());
  }

  @Test
  void duplicateInTheHistoryIsAFaultAndNotASecondMatch() {
    singles(check, new long[] {3}, new long[] {1});
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
    singles(check, new long[] {3}, new long[] {1});
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
    singles(bad, new long[] {3}, new long[] {1});
    bad.streamed(1, EventTypes.RUN_CREATED, -1);
    bad.ended("read: connection reset");
    singles(check, new long[] {3}, new long[] {1});
    history(ticks(1), 4);
    var figures = AppendFigures.checks(java.util.List.of(check, bad));
    assertEquals(2, figures.get("runs_checked"));
    assertEquals(1L, figures.get("runs_ok"));
    assertEquals(false, figures.get("all_ok"));
    assertEquals(2L, figures.get("acknowledged"));
    assertEquals(1L, figures.get("missing"));
    assertEquals(java.util.Map.of("read: connection reset", 1L), figures.get("stream_errors"));
  }

  @Test
  void batchIsItsRangeOfIdsCarryingThePostedSeqsInOrder() {
    check.acknowledged(List.of(new Ack(3, 5, 1, 3), new Ack(6, 7, 4, 5)));
    history(ticks(1, 2, 3, 4, 5), 8);
    assertTrue(check.ok());
    assertEquals(5, check.acknowledged());
    assertEquals(0, check.missing());
    assertEquals(0, check.unacknowledged());
  }

  @Test
  void batchesOfProducersSharingARunInterleave() {
    check.acknowledged(List.of(new Ack(3, 4, 1, 2), new Ack(7, 8, 5, 6)));
    check.acknowledged(List.of(new Ack(5, 6, 3, 4), new Ack(9, 10, 7, 8)));
    history(ticks(1, 2, 3, 4, 5, 6, 7, 8), 11);
    assertTrue(check.ok());
    assertEquals(8, check.acknowledged());
  }

  @Test
  void batchWhoseSeqsAreStoredInAnotherOrderIsWrong() {
    check.acknowledged(List.of(new Ack(3, 5, 1, 3)));
    history(ticks(1, 3, 2), 6);
    assertEquals(2, check.mismatched());
    assertEquals(0, check.missing());
    assertFalse(check.ok());
  }

  @Test
  void batchPartlyMissingFromTheHistoryCountsEachMissingId() {
    check.acknowledged(List.of(new Ack(3, 6, 1, 4)));
    check.streamed(1, EventTypes.RUN_CREATED, -1);
    check.streamed(2, EventTypes.RUN_IN_PROGRESS, -1);
    check.streamed(3, EventTypes.TICK, 1);
    check.streamed(4, EventTypes.TICK, 2);
    check.streamed(5, EventTypes.RUN_COMPLETED, -1);
    check.ended(null);
    assertEquals(4, check.acknowledged());
    assertEquals(2, check.missing());
    assertFalse(check.ok());
  }

  @Test
  void unacknowledgedBatchBetweenAcknowledgedOnesIsCountedButNotAFault() {
    check.acknowledged(List.of(new Ack(3, 4, 1, 2), new Ack(8, 9, 6, 7)));
    history(ticks(1, 2, 3, 4, 5, 6, 7), 10);
    assertEquals(3, check.unacknowledged());
    assertEquals(0, check.missing());
    assertTrue(check.ok());
  }

  @Test
  void batchesThatDoNotRiseAreOutOfOrder() {
    check.acknowledged(List.of(new Ack(5, 6, 3, 4), new Ack(3, 4, 1, 2)));
    history(ticks(1, 2, 3, 4), 7);
    assertEquals(1, check.outOfOrder());
    assertEquals(0, check.missing());
    assertFalse(check.ok());
  }

  @Test
  void batchesOverlappingCountTheirSharedIdsAsAckedTwice() {
    check.acknowledged(List.of(new Ack(3, 5, 1, 3)));
    check.acknowledged(List.of(new Ack(4, 6, 4, 6)));
    history(ticks(1, 2, 3, 6), 7);
    assertEquals(2, check.ackedTwice());
    assertEquals(4, check.acknowledged());
    assertEquals(0, check.mismatched(), "a shared id is held to the seq of its first range");
    assertFalse(check.ok());
  }

  @Test
  void rangeOfAnotherLengthThanTheBatchOrWithoutIdsIsMalformed() {
    check.acknowledged(
        List.of(
            new Ack(3, 4, 1, 3), new Ack(-1, -1, 4, 6), new Ack(5, 7, 7, 9), Ack.single(-1, 10)));
    history(ticks(1, 2, 7, 8, 9), 8);
    assertEquals(3, check.malformed());
    assertEquals(3, check.acknowledged());
    assertEquals(0, check.missing());
    assertEquals(2, check.unacknowledged());
    assertEquals(0, check.outOfOrder());
    assertFalse(check.ok());
  }

  @Test
  void malformedAcksAddUp() {
    check.acknowledged(List.of(new Ack(3, 3, 1, 2)));
    history(ticks(1), 4);
    var figures = AppendFigures.checks(List.of(check));
    assertEquals(1L, figures.get("acks_malformed"));
    assertEquals(false, figures.get("all_ok"));
  }

  /** Single-event acknowledgements of one producer: id {@code ids[i]} for seq {@code seqs[i]}. */
  private static void singles(AckCheck check, long[] ids, long[] seqs) {
    List<Ack> acks = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      acks.add(Ack.single(ids[i], seqs[i]));
    }
    check.acknowledged(acks);
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
