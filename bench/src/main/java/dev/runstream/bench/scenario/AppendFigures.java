package dev.runstream.bench.scenario;

import dev.runstream.bench.report.Percentiles;
import dev.runstream.bench.server.CpuMeter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** The appends scenario's figures: its producers' added up, and its runs' checks added up. */
final class AppendFigures {

  private AppendFigures() {}

  /**
   * Every producer's acknowledgements (events, and requests: as many when each posts one event),
   * latencies (per request), errors and timeline, added up.
   */
  static Map<String, Object> producers(List<AppendProducer> producers, Window window) {
    Histogram latency = new Histogram(producers.get(0).latency.getHighestTrackableValue(), 3);
    int seconds = producers.get(0).perSecond.length;
    long[] perSecond = new long[seconds];
    long[] maxPerSecond = new long[seconds];
    Map<String, Long> errors = new TreeMap<>();
    long acked = 0;
    long ackedRequests = 0;
    long ackedTotal = 0;
    for (AppendProducer p : producers) {
      latency.add(p.latency);
      acked += p.acked;
      ackedRequests += p.ackedRequests;
      ackedTotal += p.ackedTotal();
      p.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
      for (int i = 0; i < seconds; i++) {
        perSecond[i] += p.perSecond[i];
        maxPerSecond[i] = Math.max(maxPerSecond[i], p.maxPerSecond[i]);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("acked_events", acked);
    m.put("acked_per_s", CpuMeter.round(window.rate(acked)));
    m.put("acked_requests", ackedRequests);
    m.put("acked_requests_per_s", CpuMeter.round(window.rate(ackedRequests)));
    m.put("acked_events_with_warmup", ackedTotal);
    m.put("latency", Percentiles.millis(latency));
    m.put("errors", errors.values().stream().mapToLong(Long::longValue).sum());
    m.put(
        "rejected_503",
        errors.entrySet().stream()
            .filter(e -> e.getKey().startsWith("status 503"))
            .mapToLong(Map.Entry::getValue)
            .sum());
    m.put("error_kinds", errors);
    m.put("timeline", timeline(perSecond, maxPerSecond));
    return m;
  }

  private static Map<String, Object> timeline(long[] perSecond, long[] maxPerSecond) {
    List<Long> acked = new ArrayList<>();
    List<Double> max = new ArrayList<>();
    int last = perSecond.length - 1;
    while (last > 0 && perSecond[last] == 0) {
      last--;
    }
    for (int i = 0; i <= last; i++) {
      acked.add(perSecond[i]);
      max.add(perSecond[i] == 0 ? Double.NaN : maxPerSecond[i] / 1000.0);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("acked_per_s", acked);
    m.put("max_ms", max);
    return m;
  }

  /** The checked runs' findings, added up. */
  static Map<String, Object> checks(List<AckCheck> checks) {
    long ok = 0;
    long acknowledged = 0;
    long missing = 0;
    long mismatched = 0;
    long unacknowledged = 0;
    long outOfOrder = 0;
    long ackedTwice = 0;
    long malformed = 0;
    long gaps = 0;
    long duplicates = 0;
    Map<String, Long> streamErrors = new TreeMap<>();
    for (AckCheck c : checks) {
      ok += c.ok() ? 1 : 0;
      acknowledged += c.acknowledged();
      missing += c.missing();
      mismatched += c.mismatched();
      unacknowledged += c.unacknowledged();
      outOfOrder += c.outOfOrder();
      ackedTwice += c.ackedTwice();
      malformed += c.malformed();
      gaps += c.gaps();
      duplicates += c.duplicates();
      if (c.error() != null) {
        streamErrors.merge(Subscribers.kind(c.error()), 1L, Long::sum);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runs_checked", checks.size());
    m.put("runs_ok", ok);
    m.put("all_ok", ok == checks.size());
    m.put("acknowledged", acknowledged);
    m.put("missing", missing);
    m.put("mismatched", mismatched);
    m.put("stored_unacknowledged", unacknowledged);
    m.put("acks_out_of_order", outOfOrder);
    m.put("acked_twice", ackedTwice);
    m.put("acks_malformed", malformed);
    m.put("gaps", gaps);
    m.put("duplicates", duplicates);
    m.put("stream_errors", streamErrors);
    return m;
  }
}
