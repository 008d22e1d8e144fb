package dev.runstream.testing;

import java.lang.management.ManagementFactory;

/** Heap readings in the container's JVM. */
public final class Heap {

  private Heap() {}

  /** Bytes of heap in use after full collections. */
  public static long usedAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  public static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }
}
