package dev.runstream.bench.scenario;

import dev.runstream.bench.Bench;
import dev.runstream.bench.Options;
import dev.runstream.bench.api.EventTypes;
import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.api.Target;
import dev.runstream.bench.api.Wire;
import dev.runstream.bench.report.Percentiles;
import dev.runstream.bench.server.CpuMeter;
import dev.runstream.bench.server.Machine;
import dev.runstream.bench.server.Profile;
import dev.runstream.bench.sse.Clock;
import dev.runstream.bench.sse.IoLoop;
import dev.runstream.bench.sse.LoopStats;
import dev.runstream.bench.sse.SseStream;
import dev.runstream.bench.sse.StreamHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Many runs: M {@code echo} runs started together, each watched by one or two subscribers from its
 * creation to {@code run.completed}. Every subscriber checks its ids (1, 2, 3, ... without gap or
 * duplicate) and that the deltas joined equal the reply. Measures runs completed per second, the
 * create call, time to first event of each stream, and each delta's latency from its {@code
 * created_at} (server clock, milliseconds: meaningful when the server runs on this machine).
 */
public final class ManyRuns {

  /** One run as the client sees it. */
  static final class RunState {
    final long createStartMicros;
    final AtomicInteger streamsLeft;
    final AtomicLong firstDelta = new AtomicLong(Long.MAX_VALUE);
    volatile boolean bad;

    RunState(int streams) {
      this.createStartMicros = Clock.micros();
      this.streamsLeft = new AtomicInteger(streams);
    }
  }

  /** One subscriber, written only on its loop's thread. */
  static final class Sub {
    final RunState run;
    final StringBuilder text = new StringBuilder();
    final EventIds ids = new EventIds();
    boolean first;
    boolean completed;
    boolean ok;

    Sub(RunState run) {
      this.run = run;
    }
  }

  private final class Handler implements StreamHandler {
    @Override
    public void onEvent(SseStream stream, long id, int type, byte[] data, int length, long micros) {
      Sub s = (Sub) stream.attachment;
      if (!s.first) {
        s.first = true;
        stream.loop.stats.firstEvent(micros - stream.startedMicros());
      }
      switch (s.ids.next(id)) {
        case GAP -> {
          gaps.increment();
          s.run.bad = true;
        }
        case DUPLICATE -> {
          duplicates.increment();
          s.run.bad = true;
        }
        default -> {}
      }
      if (type == EventTypes.MESSAGE_DELTA) {
        String delta = Wire.string(data, length, Wire.DELTA);
        s.text.append(delta);
        long created = Wire.createdAtMicros(data, length);
        stream.loop.stats.delivered(micros, micros - created, true);
        s.run.firstDelta.accumulateAndGet(micros, Math::min);
        deltas.increment();
      } else if (type == EventTypes.RUN_COMPLETED) {
        s.completed = true;
        s.ok = s.text.toString().equals(reply);
      } else if (EventTypes.terminal(type)) {
        s.completed = true;
      }
    }

    @Override
    public void onClosed(SseStream stream, String error) {
      Sub s = (Sub) stream.attachment;
      error = EventIds.ending(error, s.completed);
      if (error != null) {
        errors.computeIfAbsent(Subscribers.kind(error), k -> new LongAdder()).increment();
      }
      if (error != null || !s.ok) {
        s.run.bad = true;
      }
      if (s.run.streamsLeft.decrementAndGet() == 0) {
        runEnded(s.run, Clock.micros());
      }
      finished.countDown();
    }
  }

  private final Bench bench;
  private final Handler handler = new Handler();
  private String reply;
  private CountDownLatch finished;
  private final LongAdder gaps = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder deltas = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicLong lastEnd = new AtomicLong();
  private Histogram create;
  private Histogram firstDelta;
  private Histogram duration;

  public ManyRuns(Bench bench) {
    this.bench = bench;
  }

  private void runEnded(RunState run, long micros) {
    inFlight.decrementAndGet();
    lastEnd.accumulateAndGet(micros, Math::max);
    if (run.bad) {
      failed.incrementAndGet();
      return;
    }
    completed.incrementAndGet();
    duration.recordValue(Math.max(1, micros - run.createStartMicros));
    long delta = run.firstDelta.get();
    if (delta != Long.MAX_VALUE) {
      firstDelta.recordValue(Math.max(1, delta - run.createStartMicros));
    }
  }

  public Map<String, Object> step(int m) throws IOException, InterruptedException {
    Options o = bench.options;
    String tag = "runs-" + m;
    bench.beforeStep(tag);
    Target target = bench.target();
    reply =
        IntStream.rangeClosed(1, o.words)
            .mapToObj(i -> "word" + i)
            .collect(Collectors.joining(" "));
    String body =
        "{\"responder\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\""
            + reply
            + "\"}],\"options\":{\"token_delay_ms\":"
            + o.tokenDelayMs
            + "}}";
    int streams = IntStream.range(0, m).map(o::subscribersOfRun).sum();
    finished = new CountDownLatch(streams);
    gaps.reset();
    duplicates.reset();
    deltas.reset();
    errors.clear();
    inFlight.set(0);
    peak.set(0);
    completed.set(0);
    failed.set(0);
    lastEnd.set(0);
    create = new SynchronizedHistogram(LoopStats.HIGHEST, 3);
    firstDelta = new SynchronizedHistogram(LoopStats.HIGHEST, 3);
    duration = new SynchronizedHistogram(LoopStats.HIGHEST, 3);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("runs", m);
    r.put("streams", streams);
    r.put("words", o.words);
    r.put("token_delay_ms", o.tokenDelayMs);
    r.put("subs_per_run", o.subsPerRun);
    r.put("load_before", Machine.loadAverage());
    if (bench.server() != null) {
      r.put("server_startup_ms", bench.server().startupMillis);
    }
    bench.resetStats(Clock.micros());
    CpuMeter cpu = new CpuMeter(bench.probe(), bench.loops);
    if (o.profile && bench.probe() != null) {
      bench.probe().startRecording(bench.dir.resolve(tag + ".jfr"));
    }
    System.err.printf("%s: creating %d runs with %d streams ...%n", tag, m, streams);
    long start = Clock.micros();
    Progress progress = Progress.start(tag, deltas, 0);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger streamIndex = new AtomicInteger();
    List<Thread> creators = new java.util.ArrayList<>();
    for (int i = 0; i < o.createThreads; i++) {
      Thread t = new Thread(() -> createRuns(target, body, m, next, streamIndex), "create-" + i);
      t.start();
      creators.add(t);
    }
    for (Thread t : creators) {
      t.join();
    }
    long createdAll = Clock.micros();
    long wait = 60 + (long) o.words * o.tokenDelayMs / 1000 + m / 50;
    if (!finished.await(wait, TimeUnit.SECONDS)) {
      System.err.printf("%s: %d streams still open: closing them%n", tag, finished.getCount());
      for (IoLoop loop : bench.loops) {
        loop.call(
            () -> {
              loop.closeAll("still open after the wait");
              return null;
            });
      }
      finished.await(30, TimeUnit.SECONDS);
    }
    progress.stop();
    Map<String, Object> cpuUse = cpu.since(deltas.sum());
    if (o.profile && bench.probe() != null) {
      bench.probe().stopRecording();
      r.put(
          "profile",
          Profile.summarize(
              bench.dir.resolve(tag + ".jfr"), bench.dir.resolve(tag + "-profile.txt")));
    }
    LoopStats stats = LoopStats.merge(bench.loops);
    double seconds = Math.max(1e-3, (lastEnd.get() - start) / 1e6);
    Map<String, Long> kinds = new TreeMap<>();
    errors.forEach((k, v) -> kinds.put(k, v.sum()));
    r.put("completed_runs", completed.get());
    r.put("failed_runs", failed.get() + (m - completed.get() - failed.get()));
    r.put("seconds", CpuMeter.round(seconds));
    r.put("create_seconds", CpuMeter.round((createdAll - start) / 1e6));
    r.put("runs_per_s", CpuMeter.round(completed.get() / seconds));
    r.put("peak_in_flight", peak.get());
    r.put("create", Percentiles.millis(create));
    r.put("first_event", Percentiles.millis(stats.firstEvent));
    r.put("first_delta_after_create", Percentiles.millis(firstDelta));
    r.put("run_duration", Percentiles.millis(duration));
    r.put("delta_latency", Percentiles.millis(stats.latency));
    r.put("deltas_delivered", stats.delivered);
    r.put("gaps", gaps.sum());
    r.put("duplicates", duplicates.sum());
    r.put("connection_errors", kinds.values().stream().mapToLong(Long::longValue).sum());
    r.put("error_kinds", kinds);
    r.put("cpu", cpuUse);
    r.put("load_after", Machine.loadAverage());
    return r;
  }

  private void createRuns(
      Target target, String body, int m, AtomicInteger next, AtomicInteger streamIndex) {
    try (HttpCall call = new HttpCall(target, 30_000)) {
      for (int i = next.getAndIncrement(); i < m; i = next.getAndIncrement()) {
        int k = bench.options.subscribersOfRun(i);
        RunState run = new RunState(k);
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        String id = null;
        try {
          HttpCall.Response answer = call.post(target.runs(), body);
          create.recordValue(Math.max(1, Clock.micros() - run.createStartMicros));
          if (answer.status() == 201) {
            id = Wire.runId(answer.body());
          } else {
            errors
                .computeIfAbsent("create: status " + answer.status(), x -> new LongAdder())
                .increment();
          }
        } catch (IOException | RuntimeException e) {
          errors
              .computeIfAbsent("create: " + SseStream.describe(e), x -> new LongAdder())
              .increment();
        }
        if (id == null) {
          run.bad = true;
          for (int s = 0; s < k; s++) {
            if (run.streamsLeft.decrementAndGet() == 0) {
              runEnded(run, Clock.micros());
            }
            finished.countDown();
          }
          continue;
        }
        for (int s = 0; s < k; s++) {
          SseStream stream =
              bench.stream(streamIndex.getAndIncrement(), target.events(id), handler, new Sub(run));
          stream.loop.open(stream);
        }
      }
    }
  }
}
