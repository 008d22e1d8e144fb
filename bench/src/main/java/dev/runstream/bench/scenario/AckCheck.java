package dev.runstream.bench.scenario;

import dev.runstream.bench.api.EventTypes;
import java.util.HashMap;
import java.util.Map;

/**
 * One run's acknowledged events held against its history, streamed from the start after the run
 * ended. The history must be 1, 2, 3, … to the terminal event, each once; every id the server
 * acknowledged must be in it, carrying the {@code seq} that was posted with it; and each producer's
 * acknowledged ids must rise in the order it got them. A tick in the history that no answer
 * acknowledged (a 503 or a timeout whose write was committed all the same) is counted, not a fault:
 * such an answer means "not acknowledged", not "not applied". Filled before the stream opens, then
 * written only on its loop's thread.
 */
final class AckCheck {

  private final Map<Long, Long> acked = new HashMap<>();
  private final EventIds ids = new EventIds();
  private long outOfOrder;
  private long ackedTwice;
  private long matched;
  private long mismatched;
  private long unacknowledged;
  private boolean terminal;
  private String error;

  /** One producer's acknowledgements, in the order it got them. */
  void acknowledged(long[] eventIds, long[] seqs, int count) {
    long previous = 0;
    for (int i = 0; i < count; i++) {
      if (eventIds[i] <= previous) {
        outOfOrder++;
      }
      previous = eventIds[i];
      if (acked.put(eventIds[i], seqs[i]) != null) {
        ackedTwice++;
      }
    }
  }

  /** An event of the history: its id, its type, and its {@code seq} (-1 if none). */
  void streamed(long id, int type, long seq) {
    EventIds.Step step = ids.next(id);
    if (step == EventIds.Step.DUPLICATE) {
      return;
    }
    if (EventTypes.terminal(type)) {
      terminal = true;
    }
    if (type != EventTypes.TICK) {
      return;
    }
    Long posted = acked.get(id);
    if (posted == null) {
      unacknowledged++;
    } else if (posted == seq) {
      matched++;
    } else {
      mismatched++;
    }
  }

  /** The stream ended: {@code error} as {@link dev.runstream.bench.sse.StreamHandler} gives it. */
  void ended(String streamError) {
    error = EventIds.ending(streamError, terminal);
  }

  long acknowledged() {
    return acked.size();
  }

  /** Acknowledged ids the history does not have. */
  long missing() {
    return acked.size() - matched - mismatched;
  }

  /** Acknowledged ids whose event in the history carries another {@code seq}. */
  long mismatched() {
    return mismatched;
  }

  long unacknowledged() {
    return unacknowledged;
  }

  long outOfOrder() {
    return outOfOrder;
  }

  long ackedTwice() {
    return ackedTwice;
  }

  long gaps() {
    return ids.gaps();
  }

  long duplicates() {
    return ids.duplicates();
  }

  /** What went wrong with the stream itself (null: it ended cleanly after the terminal event). */
  String error() {
    return error;
  }

  /** Whether every promise held. */
  boolean ok() {
    return error == null
        && terminal
        && ids.gaps() == 0
        && ids.duplicates() == 0
        && missing() == 0
        && mismatched == 0
        && outOfOrder == 0
        && ackedTwice == 0;
  }
}
