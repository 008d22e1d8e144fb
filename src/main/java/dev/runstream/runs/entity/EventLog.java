package dev.runstream.runs.entity;

import java.util.ArrayList;
import java.util.List;

/**
 * A run's events in order, ids 1, 2, 3, ... Appends come from one thread at a time (the run's
 * lock); reads need no lock and see the committed events only: the volatile {@code committed}
 * publishes every event at or below it, so any number of subscribers can read while the run
 * appends. Storage grows in chunks, never copied.
 */
final class EventLog {

  private static final int CHUNK_BITS = 10;
  private static final int CHUNK = 1 << CHUNK_BITS;

  private final RunEvent[][] chunks;
  private final int capacity;
  private int size; // guarded by the run's lock
  private volatile int committed;

  EventLog(int capacity) {
    this.capacity = capacity;
    this.chunks = new RunEvent[(capacity + CHUNK - 1) / CHUNK][];
  }

  /** Appends the next event; the caller holds the run's lock and gives it id {@code size + 1}. */
  void append(RunEvent event) {
    int index = size;
    if (index >= capacity) {
      throw new IllegalStateException("event log is full");
    }
    if (event.id() != index + 1L) {
      throw new IllegalArgumentException("event id " + event.id() + " is not " + (index + 1));
    }
    RunEvent[] chunk = chunks[index >>> CHUNK_BITS];
    if (chunk == null) {
      chunk = new RunEvent[CHUNK];
      chunks[index >>> CHUNK_BITS] = chunk;
    }
    chunk[index & (CHUNK - 1)] = event;
    size = index + 1;
  }

  /** Events up to {@code id} are committed: readers see them from now on. */
  void commit(long id) {
    if (id > size) {
      throw new IllegalArgumentException("event " + id + " is not appended yet");
    }
    if (id > committed) {
      committed = (int) id;
    }
  }

  int capacity() {
    return capacity;
  }

  /** The last appended event's id (the caller holds the run's lock). */
  long lastId() {
    return size;
  }

  /** An appended event (the caller holds the run's lock). */
  RunEvent get(long id) {
    int index = (int) id - 1;
    return chunks[index >>> CHUNK_BITS][index & (CHUNK - 1)];
  }

  /** Up to {@code max} committed events with ids greater than {@code afterId}, in order. */
  List<RunEvent> after(long afterId, int max) {
    int end = committed;
    if (afterId >= end) {
      return List.of();
    }
    int from = (int) Math.max(0, afterId);
    int to = (int) Math.min(end, (long) from + max);
    List<RunEvent> events = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      events.add(chunks[i >>> CHUNK_BITS][i & (CHUNK - 1)]);
    }
    return events;
  }
}
