package dev.runstream.runs.entity;

import java.util.List;

/** Reads a run's committed events from where they are kept, for runs not held in memory. */
public interface EventReader {

  /**
   * Up to {@code max} events of run {@code runId} with ids greater than {@code afterId}, in order.
   */
  List<RunEvent> read(String runId, long afterId, int max);
}
