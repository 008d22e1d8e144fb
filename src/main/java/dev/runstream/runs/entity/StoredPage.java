package dev.runstream.runs.entity;

import java.util.List;
import java.util.OptionalLong;

/**
 * One page of stored runs, newest first, and whether older ones follow; {@code next} is the cursor
 * of the next page (null if none): the place after this page's last run, which stays valid when
 * that run is deleted or expires.
 */
public record StoredPage(List<StoredRun> data, boolean hasMore, String next) {

  private static final String CURSOR = "cur_";

  /** The cursor of the place after the run stored as {@code seq}. */
  public static String cursor(long seq) {
    return CURSOR + Long.toString(seq, Character.MAX_RADIX);
  }

  /** The place a cursor names; empty if {@code after} is not one (a run id, for instance). */
  public static OptionalLong seqOf(String after) {
    if (after == null || !after.startsWith(CURSOR) || after.length() > CURSOR.length() + 13) {
      return OptionalLong.empty();
    }
    try {
      long seq = Long.parseLong(after.substring(CURSOR.length()), Character.MAX_RADIX);
      return seq > 0 ? OptionalLong.of(seq) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Whether {@code after} has a cursor's form, valid or not. */
  public static boolean isCursor(String after) {
    return after != null && after.startsWith(CURSOR);
  }
}
