package dev.runstream.runs.control;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import dev.runstream.input.entity.InvalidInputException;
import dev.runstream.runs.entity.Caller;
import dev.runstream.runs.entity.IdempotencyConflictException;
import dev.runstream.runs.entity.IdempotencyKey;
import dev.runstream.runs.entity.MemoryBudget;
import dev.runstream.runs.entity.Ownership;
import dev.runstream.runs.entity.Responder;
import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunActiveException;
import dev.runstream.runs.entity.RunEndedException;
import dev.runstream.runs.entity.RunError;
import dev.runstream.runs.entity.RunEvent;
import dev.runstream.runs.entity.RunLimitException;
import dev.runstream.runs.entity.RunLimits;
import dev.runstream.runs.entity.RunNotFoundException;
import dev.runstream.runs.entity.RunRemoved;
import dev.runstream.runs.entity.RunRequest;
import dev.runstream.runs.entity.RunStatus;
import dev.runstream.runs.entity.ServerBusyException;
import dev.runstream.runs.entity.StoreUnavailableException;
import dev.runstream.runs.entity.StoredPage;
import dev.runstream.runs.entity.StoredRun;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every run: the ones this server is producing, held in memory, and the rest, read from the {@link
 * RunStore}. A run is held from its creation until its terminal event is committed; then it lives
 * in the store only.
 */
@ApplicationScoped
public class RunRegistry {

  /** The error code of a run that was producing when the server stopped. */
  public static final String SERVER_RESTARTED = "server_restarted";

  private static final Logger LOG = Logger.getLogger(RunRegistry.class.getName());

  @Inject Responders responders;

  @Inject RunStore store;

  @Inject Event<RunRemoved> removals;

  @Inject
  @ConfigProperty(name = "chat.limits.events-per-run", defaultValue = "100000")
  int eventsPerRun;

  /** Runs held in memory at once (being produced): a create past it is refused. */
  @Inject
  @ConfigProperty(name = "chat.limits.runs-held", defaultValue = "1000")
  int runsHeld;

  /** The bytes of events one run may hold (see {@link Run#cost}). */
  @Inject
  @ConfigProperty(name = "chat.limits.bytes-per-run", defaultValue = "67108864")
  long bytesPerRun;

  /**
   * The bytes of events every run held in memory may hold together; unset, a quarter of the most
   * heap the JVM may take.
   */
  @Inject
  @ConfigProperty(name = "chat.limits.bytes-held")
  Optional<Long> bytesHeldSetting;

  /** May be fractional: 0.05 keeps an ended run for 3 seconds. */
  @Inject
  @ConfigProperty(name = "chat.retention.minutes", defaultValue = "60")
  double retentionMinutes;

  /** Runs one user may create in any minute; with identity off (no user) there is no such limit. */
  @Inject
  @ConfigProperty(name = "chat.limits.runs-per-minute", defaultValue = "60")
  int runsPerMinute;

  /** How long a write waits for the store before it is answered 503. */
  @Inject
  @ConfigProperty(name = "chat.store.commit-timeout-ms", defaultValue = "5000")
  long commitTimeoutMs;

  @Resource ManagedScheduledExecutorService scheduler;

  private final ConcurrentHashMap<String, Run> live = new ConcurrentHashMap<>();
  private final Object admissions = new Object();
  private final IdempotentCalls calls = new IdempotentCalls();
  private final RunIds ids = new RunIds();
  private final ProducerTokens producerTokens = new ProducerTokens();
  private Duration retention;
  private ScheduledFuture<?> sweeper;
  private RunsPerMinute creates;
  private RunLimits limits;

  /**
   * Sweeps expired runs four times per retention time, but at least once a minute and at most every
   * 0.1 s.
   */
  @PostConstruct
  void start() {
    creates = new RunsPerMinute(runsPerMinute, Clock.systemUTC());
    long bytesHeld = bytesHeldSetting.orElse(Runtime.getRuntime().maxMemory() / 4);
    if (runsHeld < 1 || bytesPerRun < 1 || bytesHeld < 1) {
      throw new IllegalArgumentException(
          "chat.limits.runs-held, bytes-per-run and bytes-held must be at least 1: "
              + runsHeld
              + ", "
              + bytesPerRun
              + ", "
              + bytesHeld);
    }
    limits = new RunLimits(eventsPerRun, bytesPerRun, new MemoryBudget(bytesHeld));
    retention = Duration.ofMillis(Math.round(retentionMinutes * 60_000));
    long every = Math.max(100, Math.min(60_000, retention.toMillis() / 4));
    sweeper = scheduler.scheduleWithFixedDelay(this::evictExpired, every, every, MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    sweeper.cancel(false);
  }

  /**
   * At start: a run the store holds unfinished was producing when the server stopped. An {@code
   * external} run goes on (its producer posts again); any other cannot, and fails with {@value
   * #SERVER_RESTARTED}.
   */
  void recover(@Observes @Initialized(ApplicationScoped.class) Object started) {
    int resumed = 0;
    int failed = 0;
    for (StoredRun stored : store.unfinished()) {
      Run run =
          Run.restored(
              stored.id(),
              RunRequest.of(stored.json()),
              stored.createdAt(),
              limits,
              store.read(stored.id(), 0, eventsPerRun),
              store,
              stored.owner());
      hold(run);
      Optional<Responder> responder = responders.named(stored.responder());
      if (responder.map(Responder::resumes).orElse(false)) {
        responder.get().resumed(run);
        resumed++;
      } else {
        run.fail(
            new RunError(
                SERVER_RESTARTED, "The server stopped while this run was producing its reply."));
        failed++;
      }
    }
    if (resumed + failed > 0) {
      LOG.info("runs unfinished at the last stop: " + resumed + " resumed, " + failed + " failed");
    }
  }

  /**
   * Stores a new run of {@code caller} (its owner; none for {@link Caller#ANYONE}) and starts its
   * responder once the run is committed. With an idempotency key already used for the same body,
   * the run it created; with another body, a conflict. An {@code external} run gets a producer
   * token, in the answer only. Keys are one namespace per server: a key that another owner used is
   * a conflict, never that owner's run. A retry of a committed create gets the run as created with
   * a new producer token, which replaces the first (see README: only the token of the last answer
   * works); a retry while the first is under way gets the first's answer. A user's new run counts
   * against its runs per minute (checked before anything is made: a refused create leaves no run
   * and no key behind); a replay is no new run and does not count.
   */
  public Created create(RunRequest request, IdempotencyKey key, Caller caller) {
    IdempotentCalls.Answer<Created> answer =
        calls.once(
            "runs",
            key,
            () -> store.runCreatedWith(key.key()),
            use -> replayCreated(use, caller),
            () -> {
              if (!store.available()) {
                throw unavailable(null);
              }
              ProducerTokens.Minted token = producerToken(request);
              Run run;
              synchronized (admissions) { // admitted and held at once: no two pass one last room
                admit(request);
                if (caller.subject() != null) {
                  creates.admit(caller.subject());
                }
                run =
                    Run.create(
                        ids.next(),
                        request,
                        limits,
                        store,
                        key,
                        new Ownership(caller.subject(), token == null ? null : token.sha256()));
                hold(run);
              }
              CompletionStage<RunEvent> created = run.whenCommitted(1);
              created.thenRun(() -> responders.named(request.responder()).orElseThrow().start(run));
              return created.thenApply(
                  event ->
                      new Created(
                          run.id(),
                          event.data(),
                          false,
                          token == null ? null : token.token(),
                          caller.subject()));
            },
            this::committed);
    Created created = answer.value();
    if (!Objects.equals(created.owner(), caller.subject())) {
      throw new IdempotencyConflictException(); // another owner's key: its run is not revealed
    }
    return new Created(
        created.runId(),
        created.run(),
        answer.replayed(),
        created.producerToken(),
        created.owner());
  }

  /**
   * Refuses a new run while the server holds as many runs as it may, or while the runs held have
   * taken three quarters of their bytes: the last quarter is left to the runs already going, to
   * reply and end. A run's input is in its first two events (created, in progress), and in its
   * last. Runs that wait for their producer's first event (which may never come before the producer
   * timeout) may hold a quarter of the bytes together: they cannot keep every other run out.
   */
  private void admit(RunRequest request) {
    if (live.size() >= runsHeld) {
      throw new ServerBusyException(
          "The server is producing as many runs as it may at once (" + runsHeld + ").", 5);
    }
    MemoryBudget budget = limits.budget();
    long input = 0;
    for (var message : request.messages()) {
      input += message.content().length();
    }
    if (budget.held() + 6 * input > budget.limit() / 4 * 3) {
      throw new ServerBusyException(
          "The server holds as many bytes of runs as it may take new runs with"
              + " (chat.limits.bytes-held).",
          5);
    }
    if (hasProducer(request.responder()) && waitingBytes() + 6 * input > budget.limit() / 4) {
      throw new ServerBusyException(
          "The server holds as many bytes of runs waiting for their producer's first event as it"
              + " may (a quarter of chat.limits.bytes-held).",
          5);
    }
  }

  /** The bytes held by runs that wait for their producer's first event. */
  private long waitingBytes() {
    long waiting = 0;
    for (Run run : live.values()) {
      if (run.status() == RunStatus.QUEUED && hasProducer(run.request().responder())) {
        waiting += run.bytes();
      }
    }
    return waiting;
  }

  private ProducerTokens.Minted producerToken(RunRequest request) {
    return hasProducer(request.responder()) ? producerTokens.mint() : null;
  }

  private boolean hasProducer(String responder) {
    return responders.named(responder).map(Responder::hasProducer).orElse(false);
  }

  private Created replayCreated(RunStore.KeyUse use, Caller caller) {
    StoredRun stored = store.find(use.runId()).orElseThrow(() -> new RunNotFoundException(null));
    if (!Objects.equals(stored.owner(), caller.subject())) {
      return new Created(use.runId(), null, true, null, stored.owner()); // refused by create
    }
    RunEvent created = store.read(use.runId(), 0, 1).get(0);
    String token = null;
    if (hasProducer(stored.responder())) {
      ProducerTokens.Minted minted = producerTokens.mint();
      store.replaceProducerToken(use.runId(), minted.sha256());
      token = minted.token();
    }
    return new Created(use.runId(), created.data(), true, token, stored.owner());
  }

  /**
   * The run, if {@code caller} may see it; another owner's run is not found, exactly as a run that
   * does not exist.
   */
  public Run find(String runId, Caller caller) {
    if (runId == null) {
      throw new RunNotFoundException(null);
    }
    Run run = live.get(runId);
    if (run != null) {
      return visible(run.id(), run.ownership().owner(), caller, run);
    }
    StoredRun stored = store.find(runId).orElseThrow(() -> new RunNotFoundException(runId));
    visible(stored.id(), stored.owner(), caller, stored);
    return Run.archived(
        stored.id(),
        RunRequest.of(stored.json()),
        stored.createdAt(),
        stored.status(),
        stored.lastEventId(),
        store,
        stored.owner());
  }

  /** The run as clients see it: as of its last committed event. */

  /** The run as clients see it, if {@code caller} may see it. */
  public JsonObject json(String runId, Caller caller) {
    StoredRun stored = store.find(runId).orElseThrow(() -> new RunNotFoundException(runId));
    return visible(stored.id(), stored.owner(), caller, stored).json();
  }

  private static <T> T visible(String runId, String owner, Caller caller, T run) {
    if (!caller.mayAccess(runId, owner)) {
      throw new RunNotFoundException(runId);
    }
    return run;
  }

  /**
   * A page of the runs {@code caller} sees (its own, or every run for an administrator), newest
   * first, optionally of one status, after {@code after}: a page's cursor, or a run's id.
   */
  public StoredPage page(Optional<RunStatus> status, int limit, String after, Caller caller) {
    return store
        .page(status, limit, after, caller.listedOwner())
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "after",
                    StoredPage.isCursor(after)
                        ? "Not a cursor of this API: pass a page's next_after as it is."
                        : "No run has this id (deleted or expired?): page with the answer's"
                            + " next_after, which outlives its run."));
  }

  /** The run whose producer token {@code token} is, if any. */
  public Optional<String> runOfProducerToken(String token) {
    return store.runOfProducerToken(ProducerTokens.sha256(token));
  }

  /**
   * Appends the event (or the batch of events) a producer posted, once per idempotency key, if
   * {@code caller} may see the run; only the run's responder knows whether it takes any. Returns
   * once they are committed.
   */
  public Published publish(String runId, JsonObject body, IdempotencyKey key, Caller caller) {
    Run run = find(runId, caller);
    if (!run.isLive()) {
      throw new RunEndedException(runId, run.status());
    }
    Responder responder = responders.named(run.request().responder()).orElseThrow();
    JsonValue batch = body.get("events");
    int posted =
        batch instanceof JsonArray events && !events.isEmpty() ? events.size() : 1; // as checked
    IdempotentCalls.Answer<Long> answer =
        calls.once(
            runId,
            key,
            () -> store.eventPostedWith(runId, key.key()),
            RunStore.KeyUse::eventId,
            () -> {
              if (!store.available()) {
                throw unavailable(null);
              }
              RunEvent last;
              try {
                last =
                    run.keyed(
                        key,
                        () ->
                            run.withRoomFor(
                                body.toString().length(),
                                posted,
                                () -> {
                                  List<RunEvent> appended = responder.publish(run, body);
                                  return appended.get(appended.size() - 1);
                                }));
              } catch (RunLimitException full) {
                // this post ended the run: the failure is committed before the refusal is
                // answered, so the client that reads the run next sees it failed
                return run.endCommitted()
                    .thenCompose(ended -> CompletableFuture.<Long>failedFuture(full));
              }
              return run.whenCommitted(last.id()).thenApply(RunEvent::id);
            },
            this::committed);
    long lastId = answer.value();
    return new Published(lastId - posted + 1, lastId, answer.replayed());
  }

  /** Cancels a run that has not ended; returns once the cancellation is committed. */
  public RunEvent cancel(String runId, Caller caller) {
    Run run = find(runId, caller);
    if (!run.isLive()) {
      throw new RunEndedException(runId, run.status());
    }
    return committed(run.whenCommitted(run.cancel().id()));
  }

  /** Deletes an ended run and its events. */

  /** Deletes an ended run that {@code caller} may see. */
  public void delete(String runId, Caller caller) {
    Run run = find(runId, caller);
    if (!run.status().ended()) {
      throw new RunActiveException(runId);
    }
    live.remove(runId, run);
    if (!store.delete(runId)) {
      throw new RunNotFoundException(runId);
    }
    removals.fire(new RunRemoved(runId));
  }

  /** Runs held in memory: those being produced. */
  public int size() {
    return live.size();
  }

  /** The bytes of events the runs held in memory hold (see {@link Run#cost}). */
  public long bytesHeld() {
    return limits.budget().held();
  }

  /** Forgets every run that ended longer than the retention time ago. */
  void evictExpired() {
    try {
      for (String runId : store.deleteEndedBefore(Instant.now().minus(retention))) {
        removals.fire(new RunRemoved(runId));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the retention sweep failed; it runs again", e);
    }
  }

  private void hold(Run run) {
    live.put(run.id(), run);
    run.endCommitted().thenRun(() -> live.remove(run.id(), run));
  }

  /** Waits for a commit, at most the commit timeout. */
  private <T> T committed(CompletionStage<T> commit) {
    try {
      return commit.toCompletableFuture().get(commitTimeoutMs, MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException refused) {
        throw refused; // a concurrent retry gets the first call's refusal
      }
      throw unavailable(e);
    } catch (TimeoutException e) {
      throw unavailable(e);
    }
  }

  private static StoreUnavailableException unavailable(Throwable cause) {
    return new StoreUnavailableException("the store did not commit in time", cause);
  }

  /**
   * A created run: its id and the run as it was created; {@code replayed} for a retry; its producer
   * token (null unless {@code external}), to be shown in this answer only; its owner.
   */
  public record Created(
      String runId, JsonObject run, boolean replayed, String producerToken, String owner) {
    @Override
    public String toString() {
      return "Created[" + runId + (replayed ? ", replayed" : "") + "]"; // never the token
    }
  }

  /**
   * What a producer's post appended: the ids of its events ({@code firstId} to {@code lastId}, one
   * event or a batch); {@code replayed} for a retry.
   */
  public record Published(long firstId, long lastId, boolean replayed) {}
}
