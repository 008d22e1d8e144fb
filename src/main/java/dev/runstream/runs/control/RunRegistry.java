package dev.runstream.runs.control;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import dev.runstream.input.entity.InvalidInputException;
import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunActiveException;
import dev.runstream.runs.entity.RunEvent;
import dev.runstream.runs.entity.RunNotFoundException;
import dev.runstream.runs.entity.RunPage;
import dev.runstream.runs.entity.RunRemoved;
import dev.runstream.runs.entity.RunRequest;
import dev.runstream.runs.entity.RunStatus;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Every run this server holds, by id and newest first. */
@ApplicationScoped
public class RunRegistry {

  @Inject Responders responders;

  @Inject Event<RunRemoved> removals;

  @Inject
  @ConfigProperty(name = "chat.limits.events-per-run", defaultValue = "100000")
  int eventsPerRun;

  /** May be fractional: 0.05 keeps an ended run for 3 seconds. */
  @Inject
  @ConfigProperty(name = "chat.retention.minutes", defaultValue = "60")
  double retentionMinutes;

  @Resource ManagedScheduledExecutorService scheduler;

  private final ConcurrentHashMap<String, Run> byId = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<Long, Run> newestFirst =
      new ConcurrentSkipListMap<>(Comparator.reverseOrder());
  private final AtomicLong sequence = new AtomicLong();
  private final RunIds ids = new RunIds();
  private Duration retention;
  private ScheduledFuture<?> sweeper;

  /**
   * Sweeps expired runs four times per retention time, but at least once a minute and at most every
   * 0.1 s.
   */
  @PostConstruct
  void start() {
    retention = Duration.ofMillis(Math.round(retentionMinutes * 60_000));
    long every = Math.max(100, Math.min(60_000, retention.toMillis() / 4));
    sweeper = scheduler.scheduleWithFixedDelay(this::evictExpired, every, every, MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    sweeper.cancel(false);
  }

  /** Stores a new run and starts its responder. */
  public Run create(RunRequest request) {
    Run run = Run.create(ids.next(), sequence.incrementAndGet(), request, eventsPerRun);
    byId.put(run.id(), run);
    newestFirst.put(run.sequence(), run);
    responders.named(request.responder()).orElseThrow().start(run);
    return run;
  }

  public Run find(String runId) {
    Run run = runId == null ? null : byId.get(runId);
    if (run == null) {
      throw new RunNotFoundException(runId);
    }
    return run;
  }

  /** Runs newest first, optionally of one status, starting after the run {@code afterId}. */
  public RunPage page(Optional<RunStatus> status, int limit, String afterId) {
    ConcurrentNavigableMap<Long, Run> older = newestFirst;
    if (afterId != null) {
      Run after = byId.get(afterId);
      if (after == null) {
        throw new InvalidInputException("after", "No run has this id (deleted or expired?).");
      }
      older = newestFirst.tailMap(after.sequence(), false);
    }
    List<Run> page = new ArrayList<>(limit);
    for (Run run : older.values()) {
      if (status.isEmpty() || run.status() == status.get()) {
        if (page.size() == limit) {
          return new RunPage(page, true);
        }
        page.add(run);
      }
    }
    return new RunPage(page, false);
  }

  /** Appends an event a producer posted; only the run's responder knows whether it takes any. */
  public RunEvent publish(String runId, JsonObject event) {
    Run run = find(runId);
    return responders.named(run.request().responder()).orElseThrow().publish(run, event);
  }

  public Run cancel(String runId) {
    Run run = find(runId);
    run.cancel();
    return run;
  }

  /** Forgets an ended run and its events. */
  public void delete(String runId) {
    Run run = find(runId);
    if (!run.status().ended()) {
      throw new RunActiveException(runId);
    }
    remove(run);
  }

  public int size() {
    return byId.size();
  }

  /** Forgets every run that ended longer than the retention time ago. */
  void evictExpired() {
    Instant cutoff = Instant.now().minus(retention);
    for (Run run : byId.values()) {
      Instant ended = run.completedAt();
      if (ended != null && ended.isBefore(cutoff)) {
        remove(run);
      }
    }
  }

  private void remove(Run run) {
    if (byId.remove(run.id(), run)) {
      newestFirst.remove(run.sequence());
      removals.fire(new RunRemoved(run.id()));
    }
  }
}
