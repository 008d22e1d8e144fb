package dev.runstream.bench.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The status line and headers of an HTTP/1.1 response, read byte by byte as they arrive. Lines end
 * at LF (a CR is dropped); an interim {@code 100 Continue} is skipped for the head that follows.
 * Only what the body's framing and the stream need is kept.
 */
final class ResponseHead {

  static final int LIMIT = 64 * 1024;

  private byte[] line = new byte[256];
  private int lineLength;
  private int bytes;
  private boolean statusSeen;
  private boolean complete;
  private boolean tooLarge;

  private int status;
  private boolean eventStream;
  private boolean chunked;
  private long contentLength = -1;

  /**
   * Reads head bytes from {@code from}, up to {@code to} or the end of the head; returns where it
   * stopped: the first byte of the body once {@link #complete()}.
   */
  int read(byte[] b, int from, int to) {
    int i = from;
    while (i < to && !complete) {
      byte c = b[i++];
      if (++bytes > LIMIT) {
        tooLarge = true;
        return to;
      }
      if (c == '\n') {
        line();
        lineLength = 0;
      } else if (c != '\r') {
        append(c);
      }
    }
    return i;
  }

  /** The empty line after the headers has been read. */
  boolean complete() {
    return complete;
  }

  /** More than {@link #LIMIT} bytes without the end of the head. */
  boolean tooLarge() {
    return tooLarge;
  }

  /** The status code; 0 before the status line, -1 when it has none. */
  int status() {
    return status;
  }

  /** {@code Content-Type: text/event-stream}. */
  boolean eventStream() {
    return eventStream;
  }

  /** {@code Transfer-Encoding: chunked}. */
  boolean chunked() {
    return chunked;
  }

  /** {@code Content-Length}, or -1. */
  long contentLength() {
    return contentLength;
  }

  private void line() {
    String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
    if (!statusSeen) {
      statusSeen = true;
      String[] parts = text.split(" ", 3);
      status = parts.length > 1 ? parseStatus(parts[1]) : -1;
      return;
    }
    if (text.isEmpty()) {
      if (status == 100) { // an interim answer: the real head follows
        statusSeen = false;
      } else {
        complete = true;
        line = null; // the body has its own buffers
      }
      return;
    }
    int colon = text.indexOf(':');
    if (colon <= 0) {
      return;
    }
    String name = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String value = text.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
    switch (name) {
      case "transfer-encoding" -> chunked = value.contains("chunked");
      case "content-length" -> contentLength = Long.parseLong(value);
      case "content-type" -> eventStream = value.startsWith("text/event-stream");
      default -> {}
    }
  }

  private static int parseStatus(String code) {
    try {
      return Integer.parseInt(code);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void append(byte b) {
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, line.length * 2);
    }
    line[lineLength++] = b;
  }
}
