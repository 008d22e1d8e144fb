package dev.runstream.bench.sse;

import dev.runstream.bench.api.EventTypes;
import java.util.Arrays;

/**
 * The {@code text/event-stream} format, byte by byte: lines end at CR, LF or CRLF (also split
 * between two reads); an empty line dispatches the event; a line starting with {@code :} is a
 * comment; a field is {@code name:value}, one space after the colon dropped, a line without a colon
 * a field with an empty value. It knows {@code data} (lines joined by LF), {@code id} (a whole
 * number, else -2) and {@code event} (an {@link EventTypes} code); {@code retry} and unknown fields
 * are ignored, as the spec says. Unlike a browser it does not carry an id over to the next event:
 * an event without {@code id:} reports -1, so the caller sees exactly what the server sent. It
 * copies nothing but the current line and the data of the current event.
 */
final class SseParser {

  /** What the parser finds; a call may end the stream, so the parser returns after each one. */
  interface Listener {
    /** One event: {@code data} holds {@code dataLength} bytes. */
    void event(long id, int type, byte[] data, int dataLength, long receivedMicros);

    /** A comment line. */
    void comment();
  }

  private final Listener listener;

  private byte[] line = new byte[256];
  private int lineLength;
  private boolean afterCr;

  private long eventId = -1;
  private int eventType = EventTypes.MISSING;
  private byte[] data = new byte[0];
  private int dataLength;
  private boolean dataSeen;

  SseParser(Listener listener) {
    this.listener = listener;
  }

  /**
   * Parses body bytes from {@code from}; returns where it stopped: after a line that reached the
   * listener, or at {@code to}.
   */
  int feed(byte[] bytes, int from, int to, long micros) {
    for (int i = from; i < to; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        if (afterCr) {
          afterCr = false;
        } else if (line(micros)) {
          return i + 1;
        }
      } else if (b == '\r') {
        afterCr = true;
        if (line(micros)) {
          return i + 1;
        }
      } else {
        afterCr = false;
        append(b);
      }
    }
    return to;
  }

  /** One line has ended; true when it reached the listener. */
  private boolean line(long micros) {
    int length = lineLength;
    lineLength = 0;
    if (length == 0) {
      return dispatch(micros);
    }
    if (line[0] == ':') {
      listener.comment();
      return true;
    }
    int colon = 0;
    while (colon < length && line[colon] != ':') {
      colon++;
    }
    int value = colon + 1;
    if (value < length && line[value] == ' ') {
      value++;
    }
    value = Math.min(value, length);
    if (is("data", colon)) {
      if (dataSeen) {
        appendData((byte) '\n');
      }
      dataSeen = true;
      for (int i = value; i < length; i++) {
        appendData(line[i]);
      }
    } else if (is("id", colon)) {
      eventId = number(value, length);
    } else if (is("event", colon)) {
      eventType = EventTypes.code(line, value, length);
    }
    return false;
  }

  private boolean dispatch(long micros) {
    boolean any = dataSeen;
    if (any) {
      listener.event(eventId, eventType, data, dataLength, micros);
    }
    eventId = -1;
    eventType = EventTypes.MISSING;
    dataLength = 0;
    dataSeen = false;
    return any;
  }

  private boolean is(String field, int length) {
    if (field.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (line[i] != field.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private long number(int from, int to) {
    long n = 0;
    if (from >= to || to - from > 18) {
      return -2;
    }
    for (int i = from; i < to; i++) {
      int digit = line[i] - '0';
      if (digit < 0 || digit > 9) {
        return -2;
      }
      n = n * 10 + digit;
    }
    return n;
  }

  private void append(byte b) {
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, line.length * 2);
    }
    line[lineLength++] = b;
  }

  private void appendData(byte b) {
    if (dataLength == data.length) {
      data = Arrays.copyOf(data, Math.max(256, data.length * 2));
    }
    data[dataLength++] = b;
  }
}
