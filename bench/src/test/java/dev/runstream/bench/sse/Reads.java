package dev.runstream.bench.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Hands a response to a {@link ResponseReader} the way a stream's loop does: every read lands at
 * the start of one shared buffer, which the next read overwrites (here with junk first, so a reader
 * that kept a reference into it would be caught).
 */
final class Reads {

  private Reads() {}

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The whole response in one read. */
  static void all(ResponseReader reader, byte[] wire) {
    at(reader, wire);
  }

  /** The response in reads that end at {@code cuts} (ascending offsets) and at its end. */
  static void at(ResponseReader reader, byte[] wire, int... cuts) {
    byte[] buffer = new byte[wire.length];
    int from = 0;
    int read = 0;
    for (int k = 0; k <= cuts.length; k++) {
      int to = k < cuts.length ? cuts[k] : wire.length;
      Arrays.fill(buffer, (byte) '#');
      System.arraycopy(wire, from, buffer, 0, to - from);
      if (to > from) {
        reader.received(buffer, to - from, micros(read++));
      }
      from = to;
    }
  }

  /** One byte per read. */
  static void byteByByte(ResponseReader reader, byte[] wire) {
    int[] cuts = new int[Math.max(0, wire.length - 1)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = i + 1;
    }
    at(reader, wire, cuts);
  }

  /** The time stamp of the n-th read (from 0). */
  static long micros(int read) {
    return 1_000 * (read + 1L);
  }
}
