package dev.runstream.bench.scenario;

import dev.runstream.bench.server.Machine;
import java.util.concurrent.atomic.LongAdder;

/**
 * Prints deliveries (or another count) per second to stderr every five seconds while a step runs.
 */
public final class Progress {

  private final Thread thread;
  private volatile boolean running = true;

  private Progress(String tag, LongAdder counter, long offered, String what) {
    thread =
        new Thread(
            () -> {
              long last = counter.sum();
              long start = System.nanoTime();
              while (running) {
                try {
                  Thread.sleep(5000);
                } catch (InterruptedException e) {
                  return;
                }
                long now = counter.sum();
                System.err.printf(
                    "%s: t=%3.0fs %s %,d/s%s, load %s%n",
                    tag,
                    (System.nanoTime() - start) / 1e9,
                    what,
                    (now - last) / 5,
                    offered > 0 ? String.format(" (offered %,d/s)", offered) : "",
                    Machine.loadAverage());
                last = now;
              }
            },
            "progress");
    thread.setDaemon(true);
  }

  static Progress start(String tag, LongAdder counter, long offered) {
    return start(tag, counter, offered, "delivered");
  }

  /** As above, the count named {@code what} ("acknowledged", "stored"). */
  static Progress start(String tag, LongAdder counter, long offered, String what) {
    Progress p = new Progress(tag, counter, offered, what);
    p.thread.start();
    return p;
  }

  void stop() {
    running = false;
    thread.interrupt();
  }
}
