package dev.runstream.bench.report;

import dev.runstream.bench.sse.LoopStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deliveries and their latency, second by second from the start of publishing. */
public final class Timeline {

  private Timeline() {}

  public static Map<String, Object> of(LoopStats stats) {
    int last = -1;
    for (int i = 0; i < LoopStats.SECONDS; i++) {
      if (stats.perSecond[i] > 0) {
        last = i;
      }
    }
    List<Long> delivered = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Double> max = new ArrayList<>();
    for (int i = 0; i <= last; i++) {
      delivered.add(stats.perSecond[i]);
      var h = stats.perSecondLatency[i];
      p50.add(h == null ? Double.NaN : Percentiles.ms(h.getValueAtPercentile(50)));
      p99.add(h == null ? Double.NaN : Percentiles.ms(h.getValueAtPercentile(99)));
      max.add(h == null ? Double.NaN : Percentiles.ms(h.getMaxValue()));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("delivered_per_s", delivered);
    m.put("p50_ms", p50);
    m.put("p99_ms", p99);
    m.put("max_ms", max);
    return m;
  }
}
