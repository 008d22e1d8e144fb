package dev.runstream.bench.api;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The event types of the contract, as small codes, matched on bytes without a String. */
public final class EventTypes {

  public static final int OTHER = 0;
  public static final int MISSING = 1;
  public static final int RUN_CREATED = 2;
  public static final int RUN_IN_PROGRESS = 3;
  public static final int MESSAGE_DELTA = 4;
  public static final int MESSAGE_COMPLETED = 5;
  public static final int RUN_COMPLETED = 6;
  public static final int RUN_FAILED = 7;
  public static final int RUN_CANCELLED = 8;
  public static final int TICK = 9;

  /** The type the fan-out producer posts. */
  public static final String TICK_NAME = "bench.tick";

  private static final List<String> NAMES =
      List.of(
          "",
          "",
          "run.created",
          "run.in_progress",
          "message.delta",
          "message.completed",
          "run.completed",
          "run.failed",
          "run.cancelled",
          TICK_NAME);
  private static final byte[][] BYTES =
      NAMES.stream().map(n -> n.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);

  private EventTypes() {}

  public static int code(byte[] line, int from, int to) {
    int length = to - from;
    for (int code = RUN_CREATED; code < BYTES.length; code++) {
      byte[] name = BYTES[code];
      if (name.length == length && java.util.Arrays.equals(name, 0, length, line, from, to)) {
        return code;
      }
    }
    return OTHER;
  }

  public static boolean terminal(int code) {
    return code == RUN_COMPLETED || code == RUN_FAILED || code == RUN_CANCELLED;
  }

  public static String name(int code) {
    return code == OTHER ? "other" : code == MISSING ? "none" : NAMES.get(code);
  }
}
