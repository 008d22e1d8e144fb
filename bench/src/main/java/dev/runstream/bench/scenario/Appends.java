package dev.runstream.bench.scenario;

import dev.runstream.bench.Bench;
import dev.runstream.bench.Options;
import dev.runstream.bench.api.Runs;
import dev.runstream.bench.api.Target;
import dev.runstream.bench.server.ClassHistogram;
import dev.runstream.bench.server.CpuMeter;
import dev.runstream.bench.server.Machine;
import dev.runstream.bench.server.Profile;
import dev.runstream.bench.server.ServerProbe;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Appends: N {@code external} runs, P producers (producer i posts to run i mod N), each posting
 * {@code bench.tick} events as fast as they are acknowledged, one per request or B per request as
 * one batch, for a warm-up and then the measured duration. Measures the acknowledged events (and
 * requests) per second and each request's latency, counts what was refused, then ends every run and
 * streams the history of each checked run back: every acknowledged event must be there, in order,
 * with nothing missing in between.
 */
public final class Appends {

  /** History streams open at once while checking. */
  private static final int CHECK_STREAMS = 16;

  private final Bench bench;

  public Appends(Bench bench) {
    this.bench = bench;
  }

  public Map<String, Object> run() throws IOException, InterruptedException {
    Options o = bench.options;
    String tag = "appends";
    bench.beforeStep(tag);
    Target target = bench.target();
    ServerProbe probe = bench.probe();
    int n = o.appendRuns();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("runs", n);
    r.put("producers", o.producers);
    r.put("duration_s", o.duration);
    r.put("warmup_s", o.warmup);
    r.put("event_bytes", o.eventBytes);
    r.put("batch", o.batch);
    r.put("store", o.storeUrl == null ? "h2" : "database at --store-url");
    r.put("load_before", Machine.loadAverage());
    if (bench.server() != null) {
      r.put("server_startup_ms", bench.server().startupMillis);
    }
    String[] ids = new String[n];
    Map<String, Long> createErrors =
        Parallel.run(
            bench, "create", n, o.createThreads, (c, i) -> ids[i] = Runs.createExternal(c, target));
    if (!createErrors.isEmpty()) {
      throw new IllegalStateException("creating the runs failed: " + createErrors);
    }

    System.err.printf(
        "%s: %d producers posting %s to %d runs, %d s warm-up then %d s measured ...%n",
        tag,
        o.producers,
        o.batch == 1 ? "one event a request" : "batches of " + o.batch + " events",
        n,
        o.warmup,
        o.duration);
    List<AppendProducer> producers = new ArrayList<>();
    LongAdder ackedAll = new LongAdder();
    Window window = Window.of(System.nanoTime(), o.warmup, o.duration);
    AtomicLong[] seqs = new AtomicLong[n];
    for (int i = 0; i < n; i++) {
      seqs[i] = new AtomicLong();
    }
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < o.producers; i++) {
      AppendProducer p =
          new AppendProducer(
              bench.call(i, 30_000),
              target.events(ids[i % n]),
              seqs[i % n],
              window,
              o.eventBytes,
              o.batch,
              ackedAll);
      producers.add(p);
      Thread t = new Thread(p, "producer-" + i);
      t.start();
      threads.add(t);
    }
    Progress progress = Progress.start(tag, ackedAll, 0, "acknowledged");
    sleepUntil(window.start());
    CpuMeter cpu = new CpuMeter(probe, bench.loops);
    long ackedBefore = ackedAll.sum();
    if (o.profile && probe != null) {
      probe.startRecording(bench.dir.resolve(tag + ".jfr"));
    }
    sleepUntil(window.end());
    Map<String, Object> cpuUse = cpu.since(ackedAll.sum() - ackedBefore);
    if (o.profile && probe != null) {
      probe.stopRecording();
      r.put(
          "profile",
          Profile.summarize(
              bench.dir.resolve(tag + ".jfr"), bench.dir.resolve(tag + "-profile.txt")));
    }
    for (Thread t : threads) {
      t.join();
    }
    progress.stop();
    r.putAll(AppendFigures.producers(producers, window));
    r.put("cpu", cpuUse);
    if (probe != null) {
      r.put("memory", memory(probe));
    }
    r.put("check", check(ids, producers));
    r.put("load_after", Machine.loadAverage());
    bench.stopServer();
    return r;
  }

  /** The server's memory with the runs still producing (their events held in memory). */
  private static Map<String, Object> memory(ServerProbe probe) {
    ClassHistogram live = probe.liveHeap();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("live_heap_bytes", live.bytes());
    m.putAll(probe.memoryAfterGc().json());
    return m;
  }

  /** Ends every run, then streams the checked runs' histories back against their acks. */
  private Map<String, Object> check(String[] ids, List<AppendProducer> producers)
      throws InterruptedException {
    Options o = bench.options;
    Target target = bench.target();
    int n = ids.length;
    Map<String, Long> completeErrors =
        Parallel.run(
            bench, "complete", n, o.createThreads, (c, i) -> Runs.complete(c, target, ids[i]));
    int k = o.checkRuns <= 0 ? n : Math.min(n, o.checkRuns);
    List<AckCheck> checks = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      checks.add(new AckCheck());
    }
    for (int i = 0; i < producers.size(); i++) {
      if (i % n < k) {
        producers.get(i).acknowledgedTo(checks.get(i % n));
      }
    }
    System.err.printf("appends: reading back the history of %d runs ...%n", k);
    Semaphore open = new Semaphore(CHECK_STREAMS);
    HistoryCheck handler = new HistoryCheck(k, open);
    bench.openAtRate(
        0, k, open, i -> bench.stream(i, target.events(ids[i]), handler, checks.get(i)));
    if (!handler.finished.await(o.drain, TimeUnit.SECONDS)) {
      System.err.printf(
          "%d history streams still open: closing them%n", handler.finished.getCount());
      bench.loops.forEach(
          loop ->
              loop.call(
                  () -> {
                    loop.closeAll("still open after the drain");
                    return null;
                  }));
      handler.finished.await(30, TimeUnit.SECONDS);
    }
    Map<String, Object> m = AppendFigures.checks(checks);
    m.put("complete_errors", completeErrors);
    return m;
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long wait = nanos - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
