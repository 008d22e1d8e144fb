package dev.runstream.bench.scenario;

import dev.runstream.bench.Bench;
import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.api.Target;
import dev.runstream.bench.report.Percentiles;
import dev.runstream.bench.server.ServerProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Issue 14's attack: {@code --hostile N} clients (default 200) attack the server in a loop for
 * {@code --duration} seconds, each one way of five (in turn by client): echo runs of a 1 MB message
 * with no pause, external runs of 1 MB input that no producer ever feeds, bodies trickled one byte
 * every 2 s, subscribes raced with cancel and delete, and header fields trickled one byte every 2
 * s. Meanwhile one healthy client makes a small create and a read of it four times a second, and
 * its latency is what counts (every answer within 1 s?); the server's heap after a full GC and its
 * {@code bytes_held} are sampled every 20 s.
 */
public final class Hostile {

  private static final Pattern RUN_ID = Pattern.compile("\"id\":\"(run_[A-Za-z0-9_-]+)\"");
  private static final Pattern PROBLEM = Pattern.compile("urn:runstream:problem:([a-z-]+)");
  private static final Pattern BYTES_HELD = Pattern.compile("\"bytes_held\":(\\d+)");
  private static final String MB = "w ".repeat(500_000);

  private final Bench bench;
  private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
  private final LongAdder attacks = new LongAdder();
  private volatile boolean running = true;

  public Hostile(Bench bench) {
    this.bench = bench;
  }

  public Map<String, Object> run() throws Exception {
    bench.beforeStep("hostile", false);
    Target target = bench.target();
    int hostile = bench.options.hostile;
    long durationMs = bench.options.duration * 1000L;
    ServerProbe probe = bench.options.managed() ? bench.probe() : null;
    List<Map<String, Object>> samples = new ArrayList<>();
    samples.add(sample(probe, target, 0));

    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < hostile; i++) {
      int kind = i % 5;
      Thread t = new Thread(() -> attack(kind, target), "hostile-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    Histogram latencies = new Histogram(3_600_000_000L, 3);
    LongAdder over1s = new LongAdder();
    LongAdder healthyFailed = new LongAdder();
    LongAdder healthyBusy = new LongAdder();
    Map<String, LongAdder> busyBy = new ConcurrentHashMap<>();
    AtomicLong worst = new AtomicLong();
    long start = System.nanoTime();
    long nextSample = 20_000;
    try (HttpCall healthy = new HttpCall(target, 30_000)) {
      while (true) {
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        if (elapsedMs >= durationMs) {
          break;
        }
        if (elapsedMs >= nextSample) {
          samples.add(sample(probe, target, elapsedMs));
          nextSample += 20_000;
        }
        long t0 = System.nanoTime();
        try {
          HttpCall.Response created =
              healthy.post(
                  target.runs(),
                  "{\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}],"
                      + "\"options\":{\"token_delay_ms\":0}}");
          if (created.status() == 201) {
            Matcher id = RUN_ID.matcher(created.body());
            if (id.find()) {
              healthy.get(target.run(id.group(1)));
            }
          } else if (created.status() == 503) {
            healthyBusy.increment();
            busyBy.computeIfAbsent(problem(created.body()), k -> new LongAdder()).increment();
          } else {
            healthyFailed.increment();
          }
        } catch (IOException e) {
          healthyFailed.increment();
          healthy.close();
        }
        long micros = (System.nanoTime() - t0) / 1000;
        latencies.recordValue(Math.min(micros, 3_600_000_000L));
        if (micros > 1_000_000) {
          over1s.increment();
        }
        worst.accumulateAndGet(micros, Math::max);
        long pause = 250 - micros / 1000;
        if (pause > 0) {
          Thread.sleep(pause); // the healthy client's pace, not a wait for an outcome
        }
      }
    }
    running = false;
    samples.add(sample(probe, target, durationMs));

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("hostile_clients", hostile);
    result.put("duration_s", bench.options.duration);
    result.put("attacks_made", attacks.sum());
    Map<String, Object> seen = new LinkedHashMap<>();
    answers.forEach((k, v) -> seen.put(k, v.sum()));
    result.put("hostile_answers", seen);
    Map<String, Object> healthy = new LinkedHashMap<>();
    healthy.put("calls", latencies.getTotalCount());
    healthy.put("over_1s", over1s.sum());
    healthy.put("refused_503", healthyBusy.sum());
    Map<String, Object> by = new LinkedHashMap<>();
    busyBy.forEach((k, v) -> by.put(k, v.sum()));
    healthy.put("refused_503_by_problem", by);
    healthy.put("failed", healthyFailed.sum());
    healthy.put("latency", Percentiles.millis(latencies));
    healthy.put("max_ms", worst.get() / 1000.0);
    result.put("healthy", healthy);
    result.put("samples", samples);
    return result;
  }

  private Map<String, Object> sample(ServerProbe probe, Target target, long atMs) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("at_s", atMs / 1000);
    if (probe != null && probe.jvm) {
      s.put("live_heap_mib", probe.liveHeap().bytes() / (1024.0 * 1024)); // after a full GC
      ServerProbe.Memory memory = probe.memoryAfterGc();
      s.put("rss_mib", memory.rss() / (1024.0 * 1024));
      s.put("threads", memory.threads());
    }
    try (HttpCall call = new HttpCall(target, 5_000)) {
      HttpCall.Response stats = call.get(target.stats());
      Matcher held = BYTES_HELD.matcher(stats.body());
      s.put("bytes_held_mib", held.find() ? Long.parseLong(held.group(1)) / (1024.0 * 1024) : -1);
      s.put("stats", stats.body());
    } catch (IOException e) {
      s.put("stats", "failed: " + e);
    }
    System.out.println("hostile sample " + s);
    return s;
  }

  private void attack(int kind, Target target) {
    while (running) {
      try {
        switch (kind) {
          case 0 ->
              create(
                  target,
                  "{\"messages\":[{\"role\":\"user\",\"content\":\""
                      + MB
                      + "\"}],\"options\":{\"token_delay_ms\":0}}",
                  "echo_1mb");
          case 1 ->
              create(
                  target,
                  "{\"responder\":\"external\",\"messages\":[{\"role\":\"user\","
                      + "\"content\":\""
                      + MB
                      + "\"}]}",
                  "external_1mb");
          case 2 -> trickle(target, true);
          case 3 -> race(target);
          default -> trickle(target, false);
        }
        attacks.increment();
      } catch (IOException | RuntimeException e) {
        count("error:" + e.getClass().getSimpleName());
      }
    }
  }

  private void create(Target target, String body, String what) throws IOException {
    try (HttpCall call = new HttpCall(target, 60_000)) {
      count(what + ":" + call.post(target.runs(), body).status());
    }
  }

  /** A subscribe raced with the cancel and delete of a small external run. */
  private void race(Target target) throws IOException {
    try (HttpCall call = new HttpCall(target, 60_000)) {
      HttpCall.Response created =
          call.post(
              target.runs(),
              "{\"responder\":\"external\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
      Matcher id = RUN_ID.matcher(created.body());
      if (created.status() != 201 || !id.find()) {
        count("race_create:" + created.status());
        return;
      }
      String runId = id.group(1);
      try (Socket stream = raw(target)) {
        send(
            stream,
            "GET "
                + target.events(runId)
                + " HTTP/1.1\r\nHost: "
                + target.hostHeader()
                + "\r\nAccept: text/event-stream\r\n\r\n");
        call.post(target.run(runId) + "/cancel", "{}");
        count("race_delete:" + call.delete(target.run(runId)).status());
      }
    }
  }

  /** Header fields (or a body, if {@code body}) one byte every 2 s, until the server ends it. */
  private void trickle(Target target, boolean body) throws IOException {
    try (Socket socket = raw(target)) {
      socket.setSoTimeout(2000);
      String head =
          "POST "
              + target.runs()
              + " HTTP/1.1\r\nHost: "
              + target.hostHeader()
              + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n";
      if (body) {
        send(socket, head + "\r\n");
      }
      byte[] drip =
          (body ? "{" + " ".repeat(99_999) : "X-Slow: " + "a".repeat(99_000))
              .getBytes(StandardCharsets.US_ASCII);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      for (int i = 0; running && i < drip.length; i++) {
        out.write(drip[i]);
        out.flush();
        try {
          byte[] answer = new byte[512];
          int n = in.read(answer);
          String status = n <= 0 ? "closed" : new String(answer, 0, Math.min(n, 12));
          count((body ? "trickled_body:" : "trickled_headers:") + status.trim());
          return;
        } catch (java.net.SocketTimeoutException nothingYet) {
          // the pace: one byte per read timeout
        }
      }
    } catch (java.net.SocketException reset) {
      count((body ? "trickled_body:" : "trickled_headers:") + "reset");
    }
  }

  private static Socket raw(Target target) throws IOException {
    Socket socket = new Socket();
    socket.connect(target.address(), 10_000);
    return socket;
  }

  private static void send(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  private void count(String what) {
    answers.computeIfAbsent(what, k -> new LongAdder()).increment();
  }

  /** The problem type of an answer's body ({@code server-busy}, {@code store-unavailable}, …). */
  static String problem(String body) {
    Matcher type = PROBLEM.matcher(body == null ? "" : body);
    return type.find() ? type.group(1) : "no problem type";
  }
}
