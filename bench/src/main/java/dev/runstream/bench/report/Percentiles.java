package dev.runstream.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** A histogram of microseconds, reported in milliseconds. */
public final class Percentiles {

  private Percentiles() {}

  public static Map<String, Object> millis(Histogram h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", h.getTotalCount());
    if (h.getTotalCount() == 0) {
      return m;
    }
    m.put("p50_ms", ms(h.getValueAtPercentile(50)));
    m.put("p90_ms", ms(h.getValueAtPercentile(90)));
    m.put("p99_ms", ms(h.getValueAtPercentile(99)));
    m.put("p999_ms", ms(h.getValueAtPercentile(99.9)));
    m.put("max_ms", ms(h.getMaxValue()));
    m.put("mean_ms", ms((long) h.getMean()));
    return m;
  }

  static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }

  /** {@code m.get(key)} as a double, NaN when absent. */
  static double get(Map<String, Object> m, String key) {
    Object v = m == null ? null : m.get(key);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
