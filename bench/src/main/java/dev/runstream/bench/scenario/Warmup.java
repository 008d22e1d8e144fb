package dev.runstream.bench.scenario;

import dev.runstream.bench.Bench;
import dev.runstream.bench.api.HttpCall;
import dev.runstream.bench.api.Runs;
import dev.runstream.bench.api.Target;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Warms a freshly started server up before it is measured, so a step sees compiled code rather than
 * the JIT at work: a small fan-out (200 subscribers, 200 events/s) and a burst of echo runs.
 */
public final class Warmup {

  private Warmup() {}

  public static void run(Bench bench, int seconds) throws IOException, InterruptedException {
    if (seconds <= 0) {
      return;
    }
    fanOut(bench, seconds);
    Target target = bench.target();
    try (HttpCall call = new HttpCall(target, 30_000)) {
      for (int i = 0; i < 500; i++) {
        call.post(
            target.runs(),
            "{\"messages\":[{\"role\":\"user\",\"content\":\"warm up the server\"}],"
                + "\"options\":{\"token_delay_ms\":0}}");
      }
    }
  }

  /**
   * The fan-out part only: what a server of external runs alone (the reference) is warmed up with.
   */
  public static void fanOut(Bench bench, int seconds) throws IOException, InterruptedException {
    if (seconds <= 0) {
      return;
    }
    Target target = bench.target();
    System.err.printf("warming the server up for %d s ...%n", seconds);
    String runId = Runs.createExternal(target);
    int n = 200;
    Subscribers handler = new Subscribers(n, new Semaphore(n));
    bench.openAtRate(
        0,
        n,
        handler.pending,
        i -> bench.stream(i, target.events(runId), handler, new Subscriber()));
    handler.connected.await(30, TimeUnit.SECONDS);
    Producer.publish(target, runId, 200, seconds, bench.options.eventBytes);
    Runs.complete(target, runId);
    handler.finished.await(30, TimeUnit.SECONDS);
  }
}
