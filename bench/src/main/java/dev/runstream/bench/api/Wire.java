package dev.runstream.bench.api;

import dev.runstream.bench.sse.Clock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small readers of the contract's JSON, on bytes where it runs per event. */
public final class Wire {

  private static final Pattern RUN_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern EVENT_ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
  private static final Pattern FIRST_ID = Pattern.compile("\"first_id\"\\s*:\\s*(\\d+)");
  private static final Pattern LAST_ID = Pattern.compile("\"last_id\"\\s*:\\s*(\\d+)");
  private static final Pattern LISTED_RUN_ID = Pattern.compile("\"id\"\\s*:\\s*\"(run_[^\"]+)\"");
  private static final Pattern HAS_MORE = Pattern.compile("\"has_more\"\\s*:\\s*(true|false)");
  public static final byte[] T = bytes("\"t\":");
  static final byte[] CREATED_AT = bytes("\"created_at\":\"");
  public static final byte[] DELTA = bytes("\"delta\":\"");
  public static final byte[] SEQ = bytes("\"seq\":");

  private Wire() {}

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The {@code id} of a run in a create answer. */
  public static String runId(String body) {
    Matcher m = RUN_ID.matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("no run id in " + body);
    }
    return m.group(1);
  }

  /**
   * The ids of the runs of a list page ({@code {"data": [runs], "has_more": b}}), in order. Reads
   * every {@code "id": "run_..."} of the page, so it holds for runs whose messages and metadata
   * carry no such pair (the tool's own runs).
   */
  public static List<String> listedRunIds(String page) {
    List<String> ids = new ArrayList<>();
    Matcher m = LISTED_RUN_ID.matcher(page);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  /** {@code has_more} of a list page. */
  public static boolean hasMore(String page) {
    Matcher m = HAS_MORE.matcher(page);
    if (!m.find()) {
      throw new IllegalStateException("no has_more in a list page");
    }
    return m.group(1).equals("true");
  }

  /** The {@code id} of an event in a publish answer ({@code {"id": N}}). */
  public static long eventId(String body) {
    return captured(EVENT_ID, body);
  }

  /** The id of the first event of a batch in its publish answer ({@code {"first_id": F, ...}}). */
  public static long firstEventId(String body) {
    return captured(FIRST_ID, body);
  }

  /** The id of the last event of a batch in its publish answer ({@code {..., "last_id": L}}). */
  public static long lastEventId(String body) {
    return captured(LAST_ID, body);
  }

  /** The whole number {@code pattern} captures in {@code body}, or -1. */
  private static long captured(Pattern pattern, String body) {
    Matcher m = pattern.matcher(body);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** Where the value after {@code key} starts in {@code data}, or -1. */
  static int after(byte[] data, int length, byte[] key) {
    outer:
    for (int i = 0; i + key.length <= length; i++) {
      for (int j = 0; j < key.length; j++) {
        if (data[i + j] != key[j]) {
          continue outer;
        }
      }
      return i + key.length;
    }
    return -1;
  }

  /** The whole number after {@code key}, or -1. */
  public static long number(byte[] data, int length, byte[] key) {
    int i = after(data, length, key);
    if (i < 0) {
      return -1;
    }
    long n = 0;
    boolean any = false;
    for (; i < length && data[i] >= '0' && data[i] <= '9'; i++) {
      n = n * 10 + (data[i] - '0');
      any = true;
    }
    return any ? n : -1;
  }

  /** The JSON string after {@code key} (which ends with the opening quote), unescaped, or null. */
  public static String string(byte[] data, int length, byte[] key) {
    int i = after(data, length, key);
    if (i < 0) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    int start = i;
    while (i < length && data[i] != '"') {
      if (data[i] == '\\') {
        out.append(new String(data, start, i - start, StandardCharsets.UTF_8));
        char c = (char) data[i + 1];
        switch (c) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'u' -> {
            out.append(
                (char) Integer.parseInt(new String(data, i + 2, 4, StandardCharsets.US_ASCII), 16));
            i += 4;
          }
          default -> out.append(c);
        }
        i += 2;
        start = i;
      } else {
        i++;
      }
    }
    out.append(new String(data, start, i - start, StandardCharsets.UTF_8));
    return out.toString();
  }

  /** {@code created_at} of an event envelope as {@link Clock} microseconds, or -1. */
  public static long createdAtMicros(byte[] data, int length) {
    String at = string(data, length, CREATED_AT);
    if (at == null) {
      return -1;
    }
    Instant instant = Instant.parse(at);
    return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
  }
}
