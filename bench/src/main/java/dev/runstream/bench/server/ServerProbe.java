package dev.runstream.bench.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a local server JVM from the outside: CPU, RSS, threads and file descriptors from {@code
 * /proc}, heap used after a full GC with {@code jcmd}, and flight recordings. Only possible when
 * the server runs on this machine and its PID is known.
 */
public final class ServerProbe {

  private static final Pattern HEAP = Pattern.compile("heap\\s+total (\\d+)K, used (\\d+)K");
  private static final Pattern METASPACE = Pattern.compile("Metaspace\\s+used (\\d+)K");

  /** What the server holds, read after a full GC. */
  public record Memory(
      long heapUsed, long heapCommitted, long metaspaceUsed, long rss, int threads, int fds) {

    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("heap_used_bytes", heapUsed);
      m.put("heap_committed_bytes", heapCommitted);
      m.put("metaspace_used_bytes", metaspaceUsed);
      m.put("rss_bytes", rss);
      m.put("threads", threads);
      m.put("fds", fds);
      return m;
    }
  }

  public final long pid;

  /** Whether the process is a JVM: only then are its heap and flight recordings read. */
  public final boolean jvm;

  public ServerProbe(long pid) {
    this(pid, true);
  }

  private ServerProbe(long pid, boolean jvm) {
    this.pid = pid;
    this.jvm = jvm;
  }

  /** A probe of a process that is not a JVM (the Node.js reference): {@code /proc} only. */
  public static ServerProbe process(long pid) {
    return new ServerProbe(pid, false);
  }

  /** User plus system CPU time of the whole server process, in nanoseconds. */
  long cpuNanos() {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 1_000_000_000L / Machine.CLOCK_TICKS;
  }

  long rssBytes() {
    return statusKb("VmRSS") * 1024;
  }

  int threads() {
    return (int) statusKb("Threads");
  }

  int fds() {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return (int) fds.count();
    } catch (IOException e) {
      return -1;
    }
  }

  boolean alive() {
    return Files.exists(Path.of("/proc", Long.toString(pid)));
  }

  /**
   * A full GC ({@code jcmd GC.run}), then the heap as {@code GC.heap_info} reports it; of a process
   * that is not a JVM, the heap figures are -1.
   */
  public Memory memoryAfterGc() {
    if (!jvm) {
      return new Memory(-1, -1, -1, rssBytes(), threads(), fds());
    }
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher heap = HEAP.matcher(info);
    Matcher meta = METASPACE.matcher(info);
    long used = -1;
    long committed = -1;
    if (heap.find()) {
      committed = Long.parseLong(heap.group(1)) * 1024;
      used = Long.parseLong(heap.group(2)) * 1024;
    }
    long metaspace = meta.find() ? Long.parseLong(meta.group(1)) * 1024 : -1;
    return new Memory(used, committed, metaspace, rssBytes(), threads(), fds());
  }

  /** Live objects by class after a full GC ({@code jcmd GC.class_histogram}): instances, bytes. */
  public Map<String, long[]> classHistogram() {
    return liveHeap().classes();
  }

  /** The live heap after a full GC, by class and in all ({@code jcmd GC.class_histogram}). */
  public ClassHistogram liveHeap() {
    return ClassHistogram.parse(jcmd("GC.class_histogram"));
  }

  /**
   * The classes whose live bytes grew most from {@code before} to {@code after}, per {@code
   * perUnit} (say, per open stream).
   */
  public static List<Map<String, Object>> growth(
      Map<String, long[]> before, Map<String, long[]> after, long perUnit, int top) {
    return growth(before, after, perUnit, top, "stream");
  }

  /** As above, per {@code unit} (the figures are named {@code bytes_per_UNIT}). */
  public static List<Map<String, Object>> growth(
      Map<String, long[]> before, Map<String, long[]> after, long perUnit, int top, String unit) {
    return after.entrySet().stream()
        .map(
            e -> {
              long[] b = before.getOrDefault(e.getKey(), new long[2]);
              return Map.entry(
                  e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
            })
        .sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
        .limit(top)
        .map(
            e -> {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("class", e.getKey());
              row.put("instances", e.getValue()[0]);
              row.put("bytes", e.getValue()[1]);
              if (perUnit > 0) {
                row.put(
                    "instances_per_" + unit, Math.round(e.getValue()[0] * 100.0 / perUnit) / 100.0);
                row.put("bytes_per_" + unit, e.getValue()[1] / perUnit);
              }
              return row;
            })
        .toList();
  }

  public void startRecording(Path file) {
    jcmd("JFR.start", "name=bench", "settings=profile", "filename=" + file.toAbsolutePath());
  }

  public void stopRecording() {
    jcmd("JFR.stop", "name=bench");
  }

  /** The server's threads and what they do: {@code jcmd Thread.print}. */
  String threadDump() {
    return jcmd("Thread.print");
  }

  String jcmd(String... command) {
    List<String> line = new java.util.ArrayList<>(List.of(Machine.jdkTool("jcmd"), "" + pid));
    line.addAll(List.of(command));
    try {
      Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "jcmd failed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private long statusKb(String field) {
    for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  private static String read(Path file) {
    try {
      try (var in = Files.newInputStream(file)) { // /proc files: read to the end
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": is the server still running?", e);
    }
  }
}
