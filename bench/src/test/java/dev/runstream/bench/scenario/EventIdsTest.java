package dev.runstream.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.runstream.bench.scenario.EventIds.Step;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A subscriber's ids against 1, 2, 3, … to the terminal event: gaps, duplicates, loss. */
class EventIdsTest {

  private final EventIds ids = new EventIds();

  @Test
  void contiguousIdsHaveNoGapNoDuplicateAndLoseNothing() {
    assertEquals(List.of(Step.NEXT, Step.NEXT, Step.NEXT, Step.NEXT), steps(1, 2, 3, 4));
    assertEquals(0, ids.gaps());
    assertEquals(0, ids.duplicates());
    assertEquals(0, ids.lost(4));
  }

  @Test
  void gapIsCountedOnceWithHowManyEventsItSkipped() {
    assertEquals(List.of(Step.NEXT, Step.NEXT, Step.GAP, Step.NEXT), steps(1, 2, 6, 7));
    assertEquals(1, ids.gaps());
    assertEquals(3, ids.skipped());
    assertEquals(3, ids.lost(7));
  }

  @Test
  void gapsAddUp() {
    steps(2, 4, 5, 9);
    assertEquals(3, ids.gaps());
    assertEquals(1 + 1 + 3, ids.skipped());
    assertEquals(5, ids.lost(9));
  }

  @Test
  void streamStartingAfterTheFirstEventHasAGapFromOne() {
    assertEquals(List.of(Step.GAP, Step.NEXT), steps(3, 4));
    assertEquals(2, ids.skipped());
  }

  @Test
  void duplicateIsCountedAndDoesNotMoveTheCheckOn() {
    assertEquals(List.of(Step.NEXT, Step.NEXT, Step.DUPLICATE, Step.NEXT), steps(1, 2, 2, 3));
    assertEquals(1, ids.duplicates());
    assertEquals(0, ids.gaps());
    assertEquals(3, ids.last());
    assertEquals(0, ids.lost(3));
  }

  @Test
  void olderIdIsADuplicateEvenAfterAGap() {
    assertEquals(List.of(Step.NEXT, Step.GAP, Step.DUPLICATE), steps(1, 3, 2));
    assertEquals(1, ids.gaps());
    assertEquals(1, ids.duplicates());
  }

  @Test
  void eventWithoutAnIdIsADuplicate() {
    assertEquals(List.of(Step.NEXT, Step.DUPLICATE, Step.DUPLICATE), steps(1, -1, -2));
    assertEquals(2, ids.duplicates());
  }

  @Test
  void streamEndingBeforeTheTerminalEventLosesEverythingAfterItsLast() {
    steps(1, 2, 3);
    assertEquals(3, ids.lost(6));
  }

  @Test
  void lossCountsTheGapsAndTheMissingEnd() {
    steps(1, 2, 4);
    assertEquals(1 + 2, ids.lost(6));
  }

  @Test
  void streamThatGotNothingLostEveryEvent() {
    assertEquals(5, ids.lost(5));
  }

  @Test
  void cleanEndBeforeTheTerminalEventIsAnError() {
    assertEquals("ended before the terminal event", EventIds.ending(null, false));
  }

  @Test
  void cleanEndAfterTheTerminalEventIsClean() {
    assertNull(EventIds.ending(null, true));
  }

  @Test
  void errorIsKeptWhateverTheStreamSaw() {
    assertEquals("closed mid-stream", EventIds.ending("closed mid-stream", true));
    assertEquals("status 503", EventIds.ending("status 503", false));
  }

  private List<Step> steps(long... sequence) {
    return LongStream.of(sequence).mapToObj(ids::next).toList();
  }
}
