package dev.runstream.testing;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.ObjectName;

/** Heap readings in the container's JVM (HotSpot). */
public final class Heap {

  private Heap() {}

  /**
   * Bytes of live objects: HotSpot's class histogram, which runs a full collection first and counts
   * only what survives it (the heap's "used" figure after System.gc() also counts whatever other
   * threads allocated meanwhile, and wanders by megabytes on a busy server).
   */
  public static long usedAfterGc() {
    return live().total();
  }

  /** What survives a full collection, by class. */
  public static Live live() {
    String histogram;
    try {
      histogram =
          (String)
              ManagementFactory.getPlatformMBeanServer()
                  .invoke(
                      new ObjectName("com.sun.management:type=DiagnosticCommand"),
                      "gcClassHistogram",
                      new Object[] {null},
                      new String[] {String[].class.getName()});
    } catch (JMException e) {
      throw new IllegalStateException("the JVM gives no class histogram", e);
    }
    Map<String, Long> bytes = new HashMap<>();
    long total = -1;
    for (String line : histogram.lines().toList()) {
      String[] columns = line.trim().split("\\s+");
      if (line.startsWith("Total")) {
        total = Long.parseLong(columns[2]);
      } else if (columns.length >= 4 && columns[0].endsWith(":")) {
        // "num: #instances #bytes class name (module)"
        bytes.merge(columns[3], Long.parseLong(columns[2]), Long::sum);
      }
    }
    if (total < 0) {
      throw new IllegalStateException("no total in the class histogram");
    }
    return new Live(total, Map.copyOf(bytes));
  }

  public static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }

  /** One reading: the bytes of live objects, in all and by class. */
  public record Live(long total, Map<String, Long> byClass) {

    /** Bytes of live instances of one class (0 if none). */
    public long bytes(String className) {
      return byClass.getOrDefault(className, 0L);
    }

    /** The classes that grew most since {@code before}, for a failure's message. */
    public String grownSince(Live before, int classes) {
      return byClass.entrySet().stream()
          .map(
              e ->
                  Map.entry(e.getKey(), e.getValue() - before.byClass.getOrDefault(e.getKey(), 0L)))
          .filter(e -> e.getValue() > 0)
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .limit(classes)
          .map(e -> e.getKey() + " +" + e.getValue() / 1024 + " KiB")
          .collect(Collectors.joining(", "));
    }
  }
}
