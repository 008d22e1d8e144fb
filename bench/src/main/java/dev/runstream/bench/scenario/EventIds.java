package dev.runstream.bench.scenario;

/**
 * One subscriber's event ids held against what the contract promises: 1, 2, 3, … up to the terminal
 * event, each once, in order. A gap is counted once, with the events it skipped; an id at or below
 * the last one is a duplicate (an event without an id too) and does not move the check on. Written
 * only on the stream's loop thread.
 */
final class EventIds {

  /** What one id was. */
  enum Step {
    NEXT,
    GAP,
    DUPLICATE
  }

  /** The words of a stream that ended cleanly before its terminal event. */
  static final String ENDED_EARLY = "ended before the terminal event";

  private long last;
  private long gaps;
  private long skipped;
  private long duplicates;

  /** The next id the stream delivered. */
  Step next(long id) {
    if (id == last + 1) {
      last = id;
      return Step.NEXT;
    }
    if (id > last + 1) {
      gaps++;
      skipped += id - last - 1;
      last = id;
      return Step.GAP;
    }
    duplicates++;
    return Step.DUPLICATE;
  }

  /** The highest id so far, 0 before any. */
  long last() {
    return last;
  }

  long gaps() {
    return gaps;
  }

  /** Events the gaps skipped. */
  long skipped() {
    return skipped;
  }

  long duplicates() {
    return duplicates;
  }

  /**
   * Events of 1 … {@code terminalId} this subscriber never got: those its gaps skipped and those
   * after the last one it got.
   */
  long lost(long terminalId) {
    long have = last - skipped;
    return Math.max(0, terminalId - have);
  }

  /**
   * Why a stream ended, as its subscriber counts it: {@code error}, or, when the server ended it
   * cleanly before the terminal event, {@link #ENDED_EARLY}; null only for a complete stream.
   */
  static String ending(String error, boolean terminalSeen) {
    return error == null && !terminalSeen ? ENDED_EARLY : error;
  }
}
