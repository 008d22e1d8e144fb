package dev.runstream.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A flight recording of the server, boiled down: where CPU samples land (self and inclusive, by
 * method), which thread pools run, what is allocated, and how long GC paused. Written as text next
 * to the recording and returned for the JSON.
 */
public final class Profile {

  private static final int TOP = 25;

  private Profile() {}

  public static Map<String, Object> summarize(Path recording, Path text) {
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> inclusive = new HashMap<>();
    Map<String, Long> threads = new HashMap<>();
    Map<String, Long> allocations = new HashMap<>();
    Map<String, Long> allocationSites = new HashMap<>();
    long samples = 0;
    long gcPauseNanos = 0;
    long gcCount = 0;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        String type = e.getEventType().getName();
        switch (type) {
          case "jdk.ExecutionSample" -> {
            samples++;
            RecordedStackTrace stack = e.getStackTrace();
            if (stack != null && !stack.getFrames().isEmpty()) {
              List<RecordedFrame> frames = stack.getFrames();
              self.merge(method(frames.get(0)), 1L, Long::sum);
              Set<String> seen = new HashSet<>();
              for (RecordedFrame f : frames) {
                String m = method(f);
                if (seen.add(m)) {
                  inclusive.merge(m, 1L, Long::sum);
                }
              }
            }
            var thread = e.getThread("sampledThread");
            threads.merge(thread == null ? "?" : pool(thread.getJavaName()), 1L, Long::sum);
          }
          case "jdk.ObjectAllocationSample" -> {
            long weight = e.getLong("weight");
            var cls = e.getClass("objectClass");
            allocations.merge(cls == null ? "?" : cls.getName(), weight, Long::sum);
            RecordedStackTrace stack = e.getStackTrace();
            if (stack != null) {
              allocationSites.merge(firstOwnFrame(stack), weight, Long::sum);
            }
          }
          case "jdk.GarbageCollection" -> {
            gcCount++;
            gcPauseNanos += e.getLong("sumOfPauses");
          }
          default -> {}
        }
      }
    } catch (IOException e) {
      return Map.of("error", "cannot read " + recording + ": " + e.getMessage());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("recording", recording.getFileName().toString());
    m.put("cpu_samples", samples);
    m.put("gc_count", gcCount);
    m.put("gc_pause_ms", gcPauseNanos / 1_000_000);
    m.put("self", top(self, samples));
    inclusive.keySet().removeIf(name -> !own(name));
    m.put("inclusive", top(inclusive, samples, 45));
    m.put("threads", top(threads, samples));
    long allocated = allocations.values().stream().mapToLong(Long::longValue).sum();
    m.put("allocated_bytes_sampled", allocated);
    m.put("allocation_by_class", top(allocations, allocated));
    m.put("allocation_by_site", top(allocationSites, allocated));
    try {
      Files.writeString(text, render(m));
    } catch (IOException e) {
      System.err.println("cannot write " + text + ": " + e.getMessage());
    }
    return m;
  }

  private static String method(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  /** The first frame of the service or of Jersey/Grizzly, else the top frame. */
  private static String firstOwnFrame(RecordedStackTrace stack) {
    for (RecordedFrame f : stack.getFrames()) {
      String name = f.getMethod().getType().getName();
      if (name.startsWith("dev.runstream")
          || name.startsWith("org.glassfish")
          || name.startsWith("fish.payara")) {
        return method(f);
      }
    }
    return stack.getFrames().isEmpty() ? "?" : method(stack.getFrames().get(0));
  }

  /** A thread's pool: its name without the trailing number. */
  private static String pool(String name) {
    return name == null ? "?" : name.replaceAll("[-_ #(]*\\d+\\)?$", "").replaceAll("\\d+", "N");
  }

  /** Frames of the service, its server and its libraries, not of the JDK's plumbing. */
  private static boolean own(String method) {
    return method.startsWith("dev.runstream")
        || method.startsWith("org.glassfish")
        || method.startsWith("fish.payara")
        || method.startsWith("org.jvnet")
        || method.startsWith("java.util.ServiceLoader")
        || method.startsWith("java.util.zip")
        || method.startsWith("sun.nio.ch");
  }

  private static List<Map<String, Object>> top(Map<String, Long> counts, long total) {
    return top(counts, total, TOP);
  }

  private static List<Map<String, Object>> top(Map<String, Long> counts, long total, int limit) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(limit)
        .map(
            e -> {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("name", e.getKey());
              row.put("count", e.getValue());
              row.put("percent", total == 0 ? 0 : Math.round(e.getValue() * 1000.0 / total) / 10.0);
              return row;
            })
        .collect(Collectors.toList());
  }

  @SuppressWarnings("unchecked")
  private static String render(Map<String, Object> m) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "recording %s: %s CPU samples, %s GCs, %s ms paused%n",
            m.get("recording"), m.get("cpu_samples"), m.get("gc_count"), m.get("gc_pause_ms")));
    for (String section :
        List.of("self", "inclusive", "threads", "allocation_by_class", "allocation_by_site")) {
      if (section.equals("inclusive")) {
        out.append(
            String.format("%n== inclusive (frames of the service, server and JDK I/O) ==%n"));
        for (Map<String, Object> row : (List<Map<String, Object>>) m.get(section)) {
          out.append(String.format("%6.1f%%  %s%n", row.get("percent"), row.get("name")));
        }
        continue;
      }
      out.append(String.format("%n== %s ==%n", section));
      for (Map<String, Object> row : (List<Map<String, Object>>) m.get(section)) {
        out.append(String.format("%6.1f%%  %s%n", row.get("percent"), row.get("name")));
      }
    }
    return out.toString();
  }
}
