package dev.runstream.bench.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** This machine: what it is, how busy it is ({@code /proc/stat}, load), and its JDK's tools. */
public final class Machine {

  static final long CLOCK_TICKS = clockTicks();

  private Machine() {}

  /** Busy and total CPU time of every core together, in clock ticks, from {@code /proc/stat}. */
  static long[] cpuTicks() {
    String first = read("/proc/stat").lines().findFirst().orElse("cpu 0 0 0 0");
    String[] f = first.trim().split("\\s+");
    long total = 0;
    long idle = 0;
    for (int i = 1; i < f.length && i <= 8; i++) {
      long v = Long.parseLong(f[i]);
      total += v;
      if (i == 4 || i == 5) { // idle, iowait
        idle += v;
      }
    }
    return new long[] {total - idle, total};
  }

  public static String loadAverage() {
    String[] f = read("/proc/loadavg").trim().split("\\s+");
    return f[0] + " " + f[1] + " " + f[2];
  }

  public static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpu_model", cpuModel());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memory_total_bytes", memTotal());
    m.put("kernel", read("/proc/sys/kernel/osrelease").trim());
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("open_files_limit", run("sh", "-c", "ulimit -n").trim());
    m.put("ephemeral_ports", read("/proc/sys/net/ipv4/ip_local_port_range").trim());
    m.put("load_average", loadAverage());
    return m;
  }

  static String jdkTool(String name) {
    Path tool = Path.of(System.getProperty("java.home"), "bin", name);
    return Files.isExecutable(tool) ? tool.toString() : name;
  }

  static String java() {
    return ProcessHandle.current().info().command().orElse(jdkTool("java"));
  }

  static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      p.waitFor(30, TimeUnit.SECONDS);
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static String cpuModel() {
    return read("/proc/cpuinfo")
        .lines()
        .filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim())
        .findFirst()
        .orElse("unknown");
  }

  private static long memTotal() {
    return read("/proc/meminfo")
            .lines()
            .filter(l -> l.startsWith("MemTotal:"))
            .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
            .findFirst()
            .orElse(0)
        * 1024;
  }

  private static long clockTicks() {
    try {
      return Long.parseLong(run("getconf", "CLK_TCK").trim());
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  private static String read(String file) {
    try {
      try (var in = Files.newInputStream(Path.of(file))) { // /proc files: read to the end
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      }
    } catch (IOException e) {
      return "";
    }
  }
}
