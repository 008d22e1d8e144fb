package dev.runstream.bench.scenario;

import dev.runstream.bench.Bench;
import dev.runstream.bench.Options;
import dev.runstream.bench.api.Runs;
import dev.runstream.bench.api.Target;
import dev.runstream.bench.report.Percentiles;
import dev.runstream.bench.report.Timeline;
import dev.runstream.bench.server.CpuMeter;
import dev.runstream.bench.server.Machine;
import dev.runstream.bench.server.Profile;
import dev.runstream.bench.server.ServerProbe;
import dev.runstream.bench.sse.Clock;
import dev.runstream.bench.sse.IoLoop;
import dev.runstream.bench.sse.LoopStats;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Fan-out: one {@code external} run, N subscribers, a producer posting ticks at a fixed rate. Every
 * subscriber must get every event, in order, once: the ids are checked per subscriber (gaps,
 * duplicates, events lost before the end), and each tick's publish-to-receive latency recorded.
 */
public final class FanOut {

  private final Bench bench;

  public FanOut(Bench bench) {
    this.bench = bench;
  }

  public Map<String, Object> step(int n, int rate) throws IOException, InterruptedException {
    Options o = bench.options;
    String tag = "fanout-" + n + "@" + rate;
    bench.beforeStep(tag);
    Target target = bench.target();
    ServerProbe probe = bench.probe();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("subscribers", n);
    r.put("rate_per_s", rate);
    r.put("duration_s", o.duration);
    r.put("event_bytes", o.eventBytes);
    r.put("load_before", Machine.loadAverage());
    if (bench.server() != null) {
      r.put("server_startup_ms", bench.server().startupMillis);
    }
    String runId = Runs.createExternal(target);
    r.put("run_id", runId);
    ServerProbe.Memory idle0 = probe == null ? null : probe.memoryAfterGc();

    Semaphore pending = new Semaphore(1000);
    Subscribers handler = new Subscribers(n, pending);
    Subscriber[] subs = new Subscriber[n];
    bench.resetStats(Clock.micros());
    long connectStart = System.nanoTime();
    System.err.printf("%s: opening %d streams ...%n", tag, n);
    bench.openAtRate(
        0,
        n,
        pending,
        i -> {
          subs[i] = new Subscriber();
          return bench.stream(i, target.events(runId), handler, subs[i]);
        });
    boolean allConnected = handler.connected.await(o.connectTimeout, TimeUnit.SECONDS);
    double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
    long open = handler.finished.getCount();
    System.err.printf(
        "%s: %d streams open after %.1f s%s%n",
        tag, open, connectSeconds, allConnected ? "" : " (timed out waiting)");
    Thread.sleep(2000);
    Map<String, Object> memory = new LinkedHashMap<>();
    if (probe != null) {
      ServerProbe.Memory idleN = probe.memoryAfterGc();
      memory.put("idle_0", idle0.json());
      memory.put("idle_n", idleN.json());
      long streams = handler.finished.getCount();
      memory.put("open_streams", streams);
      if (streams > 0) {
        memory.put("heap_bytes_per_stream", (idleN.heapUsed() - idle0.heapUsed()) / streams);
        memory.put("rss_bytes_per_stream", (idleN.rss() - idle0.rss()) / streams);
      }
    }

    CpuMeter cpu = new CpuMeter(probe, bench.loops);
    if (o.profile && probe != null) {
      probe.startRecording(bench.dir.resolve(tag + ".jfr"));
    }
    long publishStart = Clock.micros();
    handler.measureFrom = publishStart + o.warmup * 1_000_000L;
    for (IoLoop loop : bench.loops) {
      loop.call(
          () -> {
            loop.stats.startMicros = publishStart;
            return null;
          });
    }
    Progress progress = Progress.start(tag, handler.ticks, (long) n * rate);
    Producer.Result p = Producer.publish(target, runId, rate, o.duration, o.eventBytes);
    long terminalId = Runs.complete(target, runId);
    boolean drained = handler.finished.await(o.drain, TimeUnit.SECONDS);
    progress.stop();
    Map<String, Object> cpuUse = cpu.since(handler.ticks.sum());
    if (o.profile && probe != null) {
      probe.stopRecording();
      r.put(
          "profile",
          Profile.summarize(
              bench.dir.resolve(tag + ".jfr"), bench.dir.resolve(tag + "-profile.txt")));
    }
    if (!drained) {
      closeLeftovers(handler);
    }

    LoopStats stats = LoopStats.merge(bench.loops);
    long lost = 0;
    long gaps = 0;
    long duplicates = 0;
    long withLoss = 0;
    long complete = 0;
    long connected = 0;
    for (Subscriber s : subs) {
      if (s == null) {
        continue;
      }
      if (s.received > 0) {
        connected++;
      }
      long missing = s.ids.lost(terminalId);
      lost += missing;
      withLoss += missing > 0 ? 1 : 0;
      gaps += s.ids.gaps();
      duplicates += s.ids.duplicates();
      complete += s.done && missing == 0 ? 1 : 0;
    }
    double seconds = Math.max(1e-3, (stats.lastDeliveryMicros - p.firstMicros()) / 1e6);
    Map<String, Long> errors = new TreeMap<>();
    handler.errors.forEach((k, v) -> errors.put(k, v.sum()));
    long connectionErrors = errors.values().stream().mapToLong(Long::longValue).sum();

    r.put("connected", connected);
    r.put("connect_seconds", CpuMeter.round(connectSeconds));
    r.put("first_event", Percentiles.millis(stats.firstEvent));
    r.put("published", p.published());
    double publishSeconds = Math.max(1e-3, (p.lastMicros() - p.firstMicros()) / 1e6);
    r.put("published_per_s", CpuMeter.round((p.published() - 1) / publishSeconds));
    r.put("publish_errors", p.errors());
    r.put("publish_error_kinds", p.errorKinds());
    r.put("publish_answer", Percentiles.millis(p.answer()));
    r.put("publish_late", Percentiles.millis(p.late()));
    r.put("terminal_event_id", terminalId);
    r.put("delivered_events", stats.delivered);
    r.put("expected_events", p.published() * n);
    r.put("offered_events_per_s", (long) n * rate);
    r.put("delivered_events_per_s", Math.round(stats.delivered / seconds));
    r.put("latency", Percentiles.millis(stats.latency));
    r.put("lost_events", lost);
    r.put("subscribers_with_loss", withLoss);
    r.put("gaps", gaps);
    r.put("duplicates", duplicates);
    r.put("complete_subscribers", complete);
    r.put("connection_errors", connectionErrors);
    r.put("error_kinds", errors);
    r.put("zero_loss", lost == 0 && duplicates == 0 && connectionErrors == 0 && complete == n);
    r.put("memory", memory);
    r.put("cpu", cpuUse);
    r.put("load_after", Machine.loadAverage());
    r.put("timeline", Timeline.of(stats));
    return r;
  }

  /** Streams still open after the drain time are closed by the client: they count as errors. */
  private void closeLeftovers(Subscribers handler) throws InterruptedException {
    System.err.printf(
        "%d streams still open after the drain: closing them%n", handler.finished.getCount());
    for (IoLoop loop : bench.loops) {
      loop.call(
          () -> {
            loop.closeAll("still open after the drain");
            return null;
          });
    }
    handler.finished.await(30, TimeUnit.SECONDS);
  }
}
