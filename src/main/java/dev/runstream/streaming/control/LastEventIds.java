package dev.runstream.streaming.control;

import dev.runstream.input.entity.InvalidInputException;

/**
 * The event a client resumes after: the {@code Last-Event-ID} header, else the {@code
 * last_event_id} query parameter (for clients that cannot set headers), else 0. The header wins
 * because a browser that reloaded with the query parameter sends newer ids in the header.
 */
public final class LastEventIds {

  private LastEventIds() {}

  public static long parse(String header, String query) {
    if (header != null && !header.isBlank()) {
      return number("Last-Event-ID", header.strip());
    }
    if (query != null && !query.isBlank()) {
      return number("last_event_id", query.strip());
    }
    return 0;
  }

  private static long number(String name, String value) {
    if (value.length() <= 18 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Long.parseLong(value);
    }
    throw new InvalidInputException(name, "Must be a non-negative whole number (an event id).");
  }
}
