package dev.runstream.runs.entity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Who wrote a chat message. */
public enum Role {
  SYSTEM,
  USER,
  ASSISTANT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> fromWire(String value) {
    return Arrays.stream(values()).filter(r -> r.wire().equals(value)).findFirst();
  }
}
