package dev.runstream.bench.scenario;

import dev.runstream.bench.api.EventTypes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One run's acknowledged events held against its history, streamed from the start after the run
 * ended. The history must be 1, 2, 3, … to the terminal event, each once; every id the server
 * acknowledged must be in it, carrying the {@code seq} that was posted with it; and each producer's
 * acknowledged ids must rise in the order it got them. An acknowledgement is of one request: the
 * ids {@code first..last} of its events, which carry the consecutive {@code seq}s posted in it, in
 * order (a single event: {@code first == last}); one whose ids are not as many as the events posted
 * is malformed, a fault, and its ids are not looked for. A tick in the history that no answer
 * acknowledged (a 503 or a timeout whose write was committed all the same) is counted, not a fault:
 * such an answer means "not acknowledged", not "not applied". Filled before the stream opens, then
 * written only on its loop's thread.
 */
final class AckCheck {

  /**
   * One acknowledged request: the ids the server gave its events, {@code firstId..lastId}, and the
   * {@code seq}s posted in it, {@code firstSeq..lastSeq}; -1 for an id the answer lacked.
   */
  record Ack(long firstId, long lastId, long firstSeq, long lastSeq) {

    /** The acknowledgement of a single event. */
    static Ack single(long id, long seq) {
      return new Ack(id, id, seq, seq);
    }

    /** Whether the ids are a range of as many events as were posted. */
    boolean wellFormed() {
      return firstId > 0 && lastId >= firstId && lastId - firstId == lastSeq - firstSeq;
    }

    long events() {
      return lastId - firstId + 1;
    }
  }

  private final List<Ack> acks = new ArrayList<>();

  /** {@link #acks} by first id, each id once (overlaps cut off): made when first needed. */
  private List<Ack> ranges;

  /** The first of {@link #ranges} whose last id is at or past the last tick streamed. */
  private int cursor;

  private final EventIds ids = new EventIds();
  private long acknowledged;
  private long outOfOrder;
  private long ackedTwice;
  private long malformed;
  private long matched;
  private long mismatched;
  private long unacknowledged;
  private boolean terminal;
  private String error;

  /** One producer's acknowledgements, in the order it got them. */
  void acknowledged(List<Ack> producerAcks) {
    long previous = 0;
    for (Ack a : producerAcks) {
      if (!a.wellFormed()) {
        malformed++;
        continue;
      }
      if (a.firstId() <= previous) {
        outOfOrder++;
      }
      previous = a.lastId();
      acks.add(a);
    }
    ranges = null;
  }

  /**
   * The acknowledged ranges by first id, without overlaps: an id acknowledged again (by this or
   * another request) is counted as acked twice and kept with the {@code seq} of its first range.
   */
  private List<Ack> ranges() {
    if (ranges != null) {
      return ranges;
    }
    acks.sort(Comparator.comparingLong(Ack::firstId));
    ranges = new ArrayList<>(acks.size());
    acknowledged = 0;
    ackedTwice = 0;
    long covered = 0;
    for (Ack a : acks) {
      if (a.lastId() <= covered) {
        ackedTwice += a.events();
        continue;
      }
      if (a.firstId() <= covered) {
        long overlap = covered - a.firstId() + 1;
        ackedTwice += overlap;
        a = new Ack(covered + 1, a.lastId(), a.firstSeq() + overlap, a.lastSeq());
      }
      ranges.add(a);
      acknowledged += a.events();
      covered = a.lastId();
    }
    cursor = 0;
    return ranges;
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
    List<Ack> acked = ranges();
    while (cursor < acked.size() && acked.get(cursor).lastId() < id) {
      cursor++; // the history's ids rise: the ranges behind it are done with
    }
    if (cursor == acked.size() || acked.get(cursor).firstId() > id) {
      unacknowledged++;
      return;
    }
    Ack a = acked.get(cursor);
    if (a.firstSeq() + (id - a.firstId()) == seq) {
      matched++;
    } else {
      mismatched++;
    }
  }

  /** The stream ended: {@code error} as {@link dev.runstream.bench.sse.StreamHandler} gives it. */
  void ended(String streamError) {
    error = EventIds.ending(streamError, terminal);
  }

  /** Acknowledged ids, each once (those of malformed acknowledgements left out). */
  long acknowledged() {
    ranges();
    return acknowledged;
  }

  /** Acknowledged ids the history does not have. */
  long missing() {
    return acknowledged() - matched - mismatched;
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
    ranges();
    return ackedTwice;
  }

  /** Acknowledgements whose ids are not a range of as many events as were posted. */
  long malformed() {
    return malformed;
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
        && ackedTwice() == 0
        && malformed == 0;
  }
}
