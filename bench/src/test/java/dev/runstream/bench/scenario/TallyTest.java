package dev.runstream.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A step's subscribers added up, and which of them went silent. */
class TallyTest {

  private static final long TERMINAL_POSTED = 1_000;

  @Test
  void streamAnsweredThenQuietUntilTheDeadlineIsSilent() {
    assertTrue(leftOpen(200, 500).silentSince(TERMINAL_POSTED));
    assertTrue(leftOpen(200, 0).silentSince(TERMINAL_POSTED), "no event at all");
  }

  @Test
  void streamStillGettingEventsOrNeverAnsweredOrEndedIsNotSilent() {
    assertFalse(leftOpen(200, 1_500).silentSince(TERMINAL_POSTED), "slow, not silent");
    assertFalse(leftOpen(0, 0).silentSince(TERMINAL_POSTED), "no head: it never connected");
    Subscriber reset = leftOpen(200, 500);
    reset.error = "read: IOException: Connection reset by peer";
    assertFalse(reset.silentSince(TERMINAL_POSTED), "the server ended it");
  }

  @Test
  void tallyCountsConnectedCompleteSilentAndLoss() {
    Subscriber complete = new Subscriber();
    for (long id = 1; id <= 3; id++) {
      complete.ids.next(id);
    }
    complete.received = 3;
    complete.done = true;
    Subscriber silent = leftOpen(200, 500);
    silent.ids.next(1);
    silent.received = 1;
    Tally t = Tally.of(new Subscriber[] {complete, silent, null}, 3, TERMINAL_POSTED);
    assertEquals(2, t.connected());
    assertEquals(1, t.complete());
    assertEquals(1, t.silent());
    assertEquals(2, t.lost());
    assertEquals(1, t.withLoss());
  }

  private static Subscriber leftOpen(int status, long lastEventMicros) {
    Subscriber s = new Subscriber();
    s.status = status;
    s.lastEventMicros = lastEventMicros;
    s.error = Subscriber.LEFT_OPEN;
    return s;
  }
}
