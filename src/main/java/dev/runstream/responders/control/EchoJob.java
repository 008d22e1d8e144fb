package dev.runstream.responders.control;

import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunEndedException;
import dev.runstream.runs.entity.RunError;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One echo reply in steps: the first word at once, then one word per pause, the end right after the
 * last word. A cancelled run stops it: the pending step is dropped, and an append that races with
 * the cancel is refused by the run.
 */
final class EchoJob implements Runnable {

  private static final Logger LOG = Logger.getLogger(EchoJob.class.getName());

  private final Run run;
  private final String reply;
  private final List<String> tokens;
  private final long delayMs;
  private final ScheduledExecutorService scheduler;
  private int next;
  private volatile Future<?> pending;
  private volatile boolean stopped;

  EchoJob(
      Run run,
      String reply,
      List<String> tokens,
      long delayMs,
      ScheduledExecutorService scheduler) {
    this.run = run;
    this.reply = reply;
    this.tokens = tokens;
    this.delayMs = delayMs;
    this.scheduler = scheduler;
  }

  void begin() {
    pending = scheduler.submit(this);
    run.ended().thenRun(this::stop);
  }

  /** Drops the pending step: the run has ended. */
  void stop() {
    stopped = true;
    pending.cancel(false);
  }

  @Override
  public void run() {
    if (stopped) {
      return;
    }
    try {
      run.start();
      do {
        if (next < tokens.size()) {
          run.appendDelta(tokens.get(next++));
        }
        if (next == tokens.size()) {
          run.completeMessage(reply);
          run.complete();
          return;
        }
      } while (delayMs == 0 && !stopped);
      if (!stopped) {
        pending = scheduler.schedule(this, delayMs, TimeUnit.MILLISECONDS);
      }
    } catch (RunEndedException cancelled) {
      // The run was cancelled (or hit its event limit) between two words: nothing more to do.
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "echo of run " + run.id() + " failed", e);
      try {
        run.fail(new RunError("responder_error", "The echo responder failed."));
      } catch (RunEndedException alreadyEnded) {
        // It ended meanwhile.
      }
    }
  }
}
