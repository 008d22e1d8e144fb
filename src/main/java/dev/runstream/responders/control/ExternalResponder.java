package dev.runstream.responders.control;

import dev.runstream.input.entity.Violations;
import dev.runstream.runs.entity.Responder;
import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunEndedException;
import dev.runstream.runs.entity.RunError;
import dev.runstream.runs.entity.RunEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The reply comes from outside: a producer posts the run's events over HTTP. A run whose producer
 * posts nothing for {@code chat.external.producer-timeout-seconds} (from its creation, its last
 * event, or the server's restart) fails with {@value #PRODUCER_TIMEOUT}: a run nobody produces does
 * not hold its input and its slot for ever.
 */
@ApplicationScoped
public class ExternalResponder implements Responder {

  public static final String NAME = "external";
  public static final String PRODUCER_TIMEOUT = "producer_timeout";

  private static final Logger LOG = Logger.getLogger(ExternalResponder.class.getName());

  @Inject ProducerEvents events;

  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "chat.external.producer-timeout-seconds", defaultValue = "600")
  double timeoutSeconds;

  /** The runs of this responder that have not ended, watched for their producer's silence. */
  private final Set<Run> watched = ConcurrentHashMap.newKeySet();

  private long timeoutNanos;
  private ScheduledFuture<?> sweeper;

  @PostConstruct
  void start() {
    if (!(timeoutSeconds > 0)) {
      throw new IllegalArgumentException(
          "chat.external.producer-timeout-seconds must be above 0: " + timeoutSeconds);
    }
    timeoutNanos = Math.round(timeoutSeconds * 1e9);
    long every = Math.max(100, Math.min(10_000, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 4));
    sweeper =
        scheduler.scheduleWithFixedDelay(this::endSilentRuns, every, every, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    sweeper.cancel(false);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void checkOptions(JsonObject options, Violations violations) {
    violations.onlyKnownFields(options, "/options", Set.of());
  }

  @Override
  public void start(Run run) {
    watch(run); // nothing runs here: the run stays queued until its producer posts an event
  }

  @Override
  public boolean hasProducer() {
    return true;
  }

  /** The producer posts again after a restart, and the run goes on from its last event. */
  @Override
  public boolean resumes() {
    return true;
  }

  @Override
  public void resumed(Run run) {
    watch(run);
  }

  @Override
  public List<RunEvent> publish(Run run, JsonObject body) {
    return events.publish(run, body);
  }

  private void watch(Run run) {
    watched.add(run);
    run.ended().thenRun(() -> watched.remove(run));
  }

  /** A periodic task that throws is never run again: each run on its own, and log instead. */
  private void endSilentRuns() {
    long now = System.nanoTime();
    for (Run run : watched) {
      if (run.nanosSinceLastEvent(now) < timeoutNanos) {
        continue;
      }
      try {
        if (run.failIfSilentFor(
            timeoutNanos,
            new RunError(
                PRODUCER_TIMEOUT,
                "The run's producer posted no event for "
                    + seconds(timeoutSeconds)
                    + " seconds."))) {
          LOG.info(() -> "run " + run.id() + " failed: " + PRODUCER_TIMEOUT);
          watched.remove(run);
        }
      } catch (RunEndedException ended) {
        watched.remove(run); // it ended meanwhile
      } catch (RuntimeException e) { // still watched: the next round tries again
        LOG.log(Level.WARNING, "the producer timeout of run " + run.id() + " failed", e);
      }
    }
  }

  private static String seconds(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
