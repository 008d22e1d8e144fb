package dev.runstream.runs.entity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a run is in its life. The last three are terminal: a run in one of them never changes. */
public enum RunStatus {
  QUEUED,
  IN_PROGRESS,
  COMPLETED,
  FAILED,
  CANCELLED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean ended() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  public static Optional<RunStatus> fromWire(String value) {
    return Arrays.stream(values()).filter(s -> s.wire().equals(value)).findFirst();
  }
}
