package dev.runstream.testing;

import java.lang.management.ManagementFactory;
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
    try {
      String histogram =
          (String)
              ManagementFactory.getPlatformMBeanServer()
                  .invoke(
                      new ObjectName("com.sun.management:type=DiagnosticCommand"),
                      "gcClassHistogram",
                      new Object[] {null},
                      new String[] {String[].class.getName()});
      String total =
          histogram
              .lines()
              .filter(line -> line.startsWith("Total"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no total in the class histogram"));
      return Long.parseLong(total.trim().split("\\s+")[2]);
    } catch (JMException e) {
      throw new IllegalStateException("the JVM gives no class histogram", e);
    }
  }

  public static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }
}
