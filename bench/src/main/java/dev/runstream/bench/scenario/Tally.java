package dev.runstream.bench.scenario;

/**
 * The subscribers of a fan-out step added up: connected (got an event), complete (to the terminal
 * event, nothing lost), silent ({@link Subscriber#silentSince}), and the ids' loss, gaps and
 * duplicates.
 */
record Tally(
    long connected,
    long complete,
    long silent,
    long lost,
    long withLoss,
    long gaps,
    long duplicates) {

  /** {@code subs} as they stand after the drain; null entries were never opened. */
  static Tally of(Subscriber[] subs, long terminalId, long terminalMicros) {
    long connected = 0;
    long complete = 0;
    long silent = 0;
    long lost = 0;
    long withLoss = 0;
    long gaps = 0;
    long duplicates = 0;
    for (Subscriber s : subs) {
      if (s == null) {
        continue;
      }
      if (s.received > 0) {
        connected++;
      }
      long missing = s.ids.lost(terminalId);
      lost += missing;
      withLoss += missing > 0 ? 1 : 0;
      gaps += s.ids.gaps();
      duplicates += s.ids.duplicates();
      complete += s.done && missing == 0 ? 1 : 0;
      silent += s.silentSince(terminalMicros) ? 1 : 0;
    }
    return new Tally(connected, complete, silent, lost, withLoss, gaps, duplicates);
  }
}
