package dev.runstream.bench.scenario;

import dev.runstream.bench.Bench;
import dev.runstream.bench.Options;
import dev.runstream.bench.api.Runs;
import dev.runstream.bench.api.Target;
import dev.runstream.bench.report.Percentiles;
import dev.runstream.bench.report.Ratios;
import dev.runstream.bench.report.Timeline;
import dev.runstream.bench.server.CpuMeter;
import dev.runstream.bench.server.Machine;
import dev.runstream.bench.server.Profile;
import dev.runstream.bench.server.ServerProbe;
import dev.runstream.bench.sse.Clock;
import dev.runstream.bench.sse.IoLoop;
import dev.runstream.bench.sse.LoopStats;
import dev.runstream.bench.sse.SseStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

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

  /**
   * One step: N subscribers at {@code rate} events/s against the server under test; with {@code
   * --stuck} also without the stuck clients, and with {@code --reference} all of it again against
   * the Node.js reference, each figure with its ratio to the reference's.
   */
  public Map<String, Object> step(int n, int rate) throws IOException, InterruptedException {
    String tag = "fanout-" + n + "@" + rate;
    Map<String, Object> r = withAndWithoutStuck(tag, n, rate, false);
    if (bench.options.reference) {
      Map<String, Object> reference = withAndWithoutStuck(tag + "-reference", n, rate, true);
      bench.stopReference();
      r.put("reference", reference);
      r.put("ratio_to_reference", Ratios.of(r, reference, Ratios.TO_REFERENCE));
    }
    return r;
  }

  /** The step with the stuck clients, and (when there are any) without them, compared. */
  private Map<String, Object> withAndWithoutStuck(String tag, int n, int rate, boolean reference)
      throws IOException, InterruptedException {
    int stuck = bench.options.stuck;
    if (stuck == 0) {
      return measure(tag, n, rate, reference, 0);
    }
    Map<String, Object> without = measure(tag + "-unstuck", n, rate, reference, 0);
    Map<String, Object> with = measure(tag + "-stuck", n, rate, reference, stuck);
    with.put("without_stuck", without);
    with.put("ratio_to_without_stuck", Ratios.of(with, without, Ratios.LATENCY));
    return with;
  }

  private Map<String, Object> measure(String tag, int n, int rate, boolean reference, int stuck)
      throws IOException, InterruptedException {
    Options o = bench.options;
    if (reference) {
      bench.startReference(tag);
    } else {
      bench.beforeStep(tag);
    }
    Target target = bench.target();
    ServerProbe probe = bench.probe();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("subscribers", n);
    r.put("rate_per_s", rate);
    r.put("server", reference ? "reference" : "service");
    r.put("storm", o.storm);
    r.put("stuck_clients", stuck);
    r.put("duration_s", o.duration);
    r.put("event_bytes", o.eventBytes);
    r.put("load_before", Machine.loadAverage());
    if (bench.server() != null && !reference) {
      r.put("server_startup_ms", bench.server().startupMillis);
    }
    String runId = Runs.createExternal(target);
    r.put("run_id", runId);
    StuckClients stuckClients =
        stuck > 0 ? StuckClients.open(bench, stuck, o.stuckEvents, o.stuckEventBytes) : null;
    // after the stuck clients: the memory per stream is that of the healthy streams
    ServerProbe.Memory idle0 = probe == null ? null : probe.memoryAfterGc();

    Semaphore pending = new Semaphore(o.storm ? n : 1000);
    Subscribers handler = new Subscribers(n, pending);
    Subscriber[] subs = new Subscriber[n];
    bench.resetStats(Clock.micros());
    long connectStart = System.nanoTime();
    System.err.printf("%s: opening %d streams%s ...%n", tag, n, o.storm ? " at once" : "");
    IntFunction<SseStream> make =
        i -> {
          subs[i] = new Subscriber();
          return bench.stream(i + stuck, target.events(runId), handler, subs[i]);
        };
    if (o.storm) {
      bench.openAtOnce(0, n, make);
    } else {
      bench.openAtRate(0, n, pending, make);
    }
    boolean allConnected = handler.connected.await(o.connectTimeout, TimeUnit.SECONDS);
    double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
    long open = handler.finished.getCount();
    System.err.printf(
        "%s: %d streams open after %.1f s%s%n",
        tag, open, connectSeconds, allConnected ? "" : " (timed out waiting)");
    Thread.sleep(2000);
    Map<String, Object> memory =
        probe == null
            ? Map.of()
            : idleMemory(idle0, probe.memoryAfterGc(), handler.finished.getCount());

    CpuMeter cpu = new CpuMeter(probe, bench.loops);
    boolean profile = o.profile && probe != null && probe.jvm;
    if (profile) {
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
    long terminalMicros = Clock.micros();
    long terminalId = Runs.complete(target, runId);
    boolean drained = handler.finished.await(o.drain, TimeUnit.SECONDS);
    progress.stop();
    Map<String, Object> cpuUse = cpu.since(handler.ticks.sum());
    if (profile) {
      probe.stopRecording();
      r.put(
          "profile",
          Profile.summarize(
              bench.dir.resolve(tag + ".jfr"), bench.dir.resolve(tag + "-profile.txt")));
    }
    if (stuckClients != null) {
      r.put("stuck", stuckClients.figures());
      stuckClients.close();
    }
    if (!drained) {
      closeLeftovers(handler);
    }

    LoopStats stats = LoopStats.merge(bench.loops);
    Tally tally = Tally.of(subs, terminalId, terminalMicros);
    double seconds = Math.max(1e-3, (stats.lastDeliveryMicros - p.firstMicros()) / 1e6);
    Map<String, Long> errors = new TreeMap<>();
    handler.errors.forEach((k, v) -> errors.put(k, v.sum()));
    long connectionErrors = errors.values().stream().mapToLong(Long::longValue).sum();

    r.put("connected", tally.connected());
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
    r.put("lost_events", tally.lost());
    r.put("subscribers_with_loss", tally.withLoss());
    r.put("gaps", tally.gaps());
    r.put("duplicates", tally.duplicates());
    r.put("complete_subscribers", tally.complete());
    r.put("silent_streams", tally.silent());
    r.put("connection_errors", connectionErrors);
    r.put("error_kinds", errors);
    r.put(
        "zero_loss",
        tally.lost() == 0
            && tally.duplicates() == 0
            && connectionErrors == 0
            && tally.complete() == n);
    r.put("memory", memory);
    r.put("cpu", cpuUse);
    r.put("load_after", Machine.loadAverage());
    r.put("timeline", Timeline.of(stats));
    return r;
  }

  /**
   * What the idle streams hold: the server's memory before and after they opened, and per stream
   * (the heap only of a JVM: a probe that cannot read one reports -1).
   */
  static Map<String, Object> idleMemory(
      ServerProbe.Memory idle0, ServerProbe.Memory idleN, long streams) {
    Map<String, Object> memory = new LinkedHashMap<>();
    memory.put("idle_0", idle0.json());
    memory.put("idle_n", idleN.json());
    memory.put("open_streams", streams);
    if (streams > 0) {
      if (idle0.heapUsed() >= 0 && idleN.heapUsed() >= 0) {
        memory.put("heap_bytes_per_stream", (idleN.heapUsed() - idle0.heapUsed()) / streams);
      }
      memory.put("rss_bytes_per_stream", (idleN.rss() - idle0.rss()) / streams);
    }
    return memory;
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
