package dev.runstream.openai.control;

import dev.runstream.openai.entity.UpstreamException;
import dev.runstream.openai.entity.UpstreamFailure;
import java.util.Optional;

/**
 * The {@code data} of Server-Sent Events, line by line: {@code data:} lines are joined (with {@code
 * \n}), a blank line ends the event; comments, {@code event:}, {@code id:}, {@code retry:} and
 * unknown fields are ignored, as the SSE standard says.
 */
final class EventData {

  private final int longest;
  private final StringBuilder data = new StringBuilder();
  private boolean pending;

  EventData(int longest) {
    this.longest = longest;
  }

  /** Takes one line; returns the event's data when this line ends an event that has some. */
  Optional<String> line(String line) {
    if (line.isEmpty()) {
      return end();
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    if (field.equals("data")) {
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (pending) {
        data.append('\n');
      }
      data.append(value.startsWith(" ") ? value.substring(1) : value);
      pending = true;
      if (data.length() > longest) {
        throw new UpstreamException(
            UpstreamFailure.BAD_RESPONSE,
            "The model server sent an event longer than " + longest + " characters.");
      }
    }
    return Optional.empty();
  }

  /** The data of an event that the stream's end cut off before its blank line, if any. */
  Optional<String> end() {
    if (!pending) {
      return Optional.empty();
    }
    String event = data.toString();
    data.setLength(0);
    pending = false;
    return Optional.of(event);
  }
}
