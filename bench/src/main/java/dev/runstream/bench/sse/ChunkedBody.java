package dev.runstream.bench.sse;

/**
 * The framing of a {@code Transfer-Encoding: chunked} body, byte by byte: each chunk's size line
 * (hex, extensions ignored), its data, the CRLF after it, then the last chunk ({@code 0}) and
 * trailer lines up to an empty one. It only tracks where the data is; the caller takes the data
 * bytes themselves with {@link #take}.
 */
final class ChunkedBody {

  private enum State {
    SIZE,
    EXTENSION,
    DATA,
    DATA_END,
    TRAILER,
    DONE,
    BAD
  }

  private State state = State.SIZE;
  private long remaining;
  private int trailerLength;

  /** The next bytes are chunk data: {@link #take} them. */
  boolean inData() {
    return state == State.DATA;
  }

  /** The last chunk and the trailers have been read: the body is complete. */
  boolean done() {
    return state == State.DONE;
  }

  /** A chunk-size line had a byte that is neither a hex digit nor an extension. */
  boolean bad() {
    return state == State.BAD;
  }

  /**
   * In chunk data: how many of the {@code available} bytes belong to the current chunk. They count
   * as read.
   */
  int take(int available) {
    int n = (int) Math.min(available, remaining);
    remaining -= n;
    if (remaining == 0) {
      state = State.DATA_END;
    }
    return n;
  }

  /**
   * Reads framing bytes from {@code from} until chunk data starts, the body is complete or bad, or
   * {@code to}; returns where it stopped.
   */
  int skipFraming(byte[] b, int from, int to) {
    int i = from;
    while (i < to && (state != State.DATA && state != State.DONE && state != State.BAD)) {
      byte c = b[i++];
      switch (state) {
        case SIZE -> size(c);
        case EXTENSION -> {
          if (c == '\n') {
            endOfSizeLine();
          }
        }
        case DATA_END -> {
          if (c == '\n') {
            state = State.SIZE;
          }
        }
        default -> trailer(c);
      }
    }
    return i;
  }

  private void size(byte c) {
    int digit = Character.digit(c, 16);
    if (digit >= 0) {
      remaining = remaining * 16 + digit;
    } else if (c == ';' || c == ' ') {
      state = State.EXTENSION;
    } else if (c == '\n') {
      endOfSizeLine();
    } else if (c != '\r') {
      state = State.BAD;
    }
  }

  private void endOfSizeLine() {
    state = remaining == 0 ? State.TRAILER : State.DATA;
  }

  private void trailer(byte c) { // trailer lines up to an empty one: the body is complete
    if (c == '\n') {
      if (trailerLength == 0) {
        state = State.DONE;
      }
      trailerLength = 0;
    } else if (c != '\r') {
      trailerLength++;
    }
  }
}
