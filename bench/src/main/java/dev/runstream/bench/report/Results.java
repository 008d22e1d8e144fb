package dev.runstream.bench.report;

import java.util.Map;

/** Reading back the figures of a step's result map: nested maps, numbers, KiB. */
public final class Results {

  private Results() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Map<?, ?> ? (Map<String, Object>) v : Map.of();
  }

  public static double num(Map<String, Object> m, String... path) {
    Map<String, Object> at = m;
    for (int i = 0; i < path.length - 1; i++) {
      at = map(at, path[i]);
    }
    return Percentiles.get(at, path[path.length - 1]);
  }

  static Object kib(double bytes) {
    return Double.isNaN(bytes) ? null : bytes / 1024.0;
  }
}
