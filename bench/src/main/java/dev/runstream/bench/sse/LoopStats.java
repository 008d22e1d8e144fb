package dev.runstream.bench.sse;

import org.HdrHistogram.Histogram;

/**
 * What one {@link IoLoop} measured during a step: latencies (microseconds) of the events after the
 * warm-up, times to first event, and a per-second timeline of deliveries and their latency. Only
 * the loop's thread writes; {@link #reset} and reads go through {@link IoLoop#call}.
 */
public final class LoopStats {

  public static final long HIGHEST = 3_600_000_000L; // one hour in microseconds
  public static final int SECONDS = 3600;

  public Histogram latency = new Histogram(HIGHEST, 3);
  public Histogram firstEvent = new Histogram(HIGHEST, 3);
  public long[] perSecond = new long[SECONDS];
  public Histogram[] perSecondLatency = new Histogram[SECONDS];
  public long startMicros;
  public long delivered;
  public long lastDeliveryMicros;

  public void reset(long start) {
    latency = new Histogram(HIGHEST, 3);
    firstEvent = new Histogram(HIGHEST, 3);
    perSecond = new long[SECONDS];
    perSecondLatency = new Histogram[SECONDS];
    startMicros = start;
    delivered = 0;
    lastDeliveryMicros = 0;
  }

  /** One measured event: counted in the timeline, and its latency kept when {@code measured}. */
  public void delivered(long receivedMicros, long latencyMicros, boolean measured) {
    delivered++;
    lastDeliveryMicros = Math.max(lastDeliveryMicros, receivedMicros);
    long value = Math.max(1, Math.min(HIGHEST, latencyMicros));
    if (measured) {
      latency.recordValue(value);
    }
    int second = (int) ((receivedMicros - startMicros) / 1_000_000);
    if (second >= 0 && second < SECONDS) {
      perSecond[second]++;
      Histogram h = perSecondLatency[second];
      if (h == null) {
        h = new Histogram(HIGHEST, 2);
        perSecondLatency[second] = h;
      }
      h.recordValue(value);
    }
  }

  public void firstEvent(long micros) {
    firstEvent.recordValue(Math.max(1, Math.min(HIGHEST, micros)));
  }

  /** A copy, safe to read on another thread. */
  LoopStats snapshot() {
    LoopStats copy = new LoopStats();
    copy.latency = latency.copy();
    copy.firstEvent = firstEvent.copy();
    copy.perSecond = perSecond.clone();
    for (int i = 0; i < SECONDS; i++) {
      copy.perSecondLatency[i] = perSecondLatency[i] == null ? null : perSecondLatency[i].copy();
    }
    copy.startMicros = startMicros;
    copy.delivered = delivered;
    copy.lastDeliveryMicros = lastDeliveryMicros;
    return copy;
  }

  /** Every loop's figures added up. */
  public static LoopStats merge(java.util.List<IoLoop> loops) {
    LoopStats all = null;
    for (IoLoop loop : loops) {
      LoopStats one = loop.call(loop.stats::snapshot);
      if (all == null) {
        all = one;
        continue;
      }
      all.latency.add(one.latency);
      all.firstEvent.add(one.firstEvent);
      for (int i = 0; i < SECONDS; i++) {
        all.perSecond[i] += one.perSecond[i];
        if (one.perSecondLatency[i] != null) {
          if (all.perSecondLatency[i] == null) {
            all.perSecondLatency[i] = one.perSecondLatency[i];
          } else {
            all.perSecondLatency[i].add(one.perSecondLatency[i]);
          }
        }
      }
      all.delivered += one.delivered;
      all.lastDeliveryMicros = Math.max(all.lastDeliveryMicros, one.lastDeliveryMicros);
    }
    return all;
  }
}
