package dev.runstream.bench.server;

import java.util.HashMap;
import java.util.Map;

/**
 * What {@code jcmd PID GC.class_histogram} reports (it runs a full GC first): the live objects by
 * class, instances and bytes, and its {@code Total} line, the live heap.
 */
public record ClassHistogram(Map<String, long[]> classes, long instances, long bytes) {

  /** Reads the command's output; a total of -1 when it has no {@code Total} line. */
  public static ClassHistogram parse(String output) {
    Map<String, long[]> classes = new HashMap<>();
    long instances = -1;
    long bytes = -1;
    for (String line : output.split("\n")) {
      String[] f = line.trim().split("\\s+");
      try {
        if (f.length >= 4 && f[0].endsWith(":")) {
          classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
        } else if (f.length == 3 && f[0].equals("Total")) {
          instances = Long.parseLong(f[1]);
          bytes = Long.parseLong(f[2]);
        }
      } catch (NumberFormatException ignored) {
        // the header
      }
    }
    return new ClassHistogram(classes, instances, bytes);
  }
}
