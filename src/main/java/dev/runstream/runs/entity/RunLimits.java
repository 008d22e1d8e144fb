package dev.runstream.runs.entity;

/**
 * What one run may hold: at most {@code events} events and {@code bytes} bytes of them (see {@link
 * Run#cost}), drawn from the {@code budget} that every run held in memory shares.
 */
public record RunLimits(int events, long bytes, MemoryBudget budget) {

  /** At most {@code events} events, with no limit on their bytes. */
  public static RunLimits ofEvents(int events) {
    return new RunLimits(events, Long.MAX_VALUE, MemoryBudget.unlimited());
  }
}
