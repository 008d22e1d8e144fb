package dev.runstream.runs.entity;

import dev.runstream.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One chat turn and its event log. Every change of state appends its event under the run's lock, so
 * the log and the state never disagree, and once the terminal event is in, nothing follows it. The
 * log's last slot is kept for a terminal event: a run that would outgrow it fails instead.
 *
 * <p>Each appended event goes to the run's {@link Journal} to be made durable, and clients see only
 * what it has committed: {@link #eventsAfter}, {@link #lastEventId()}, {@link #status()} and the
 * listener follow the committed events, while appending follows every appended one. A run that is
 * no longer held in memory (it ended, and its events are in the store) is {@linkplain #archived
 * archived}: its events are read from the store, and nothing can be appended.
 */
public final class Run {

  public static final String EVENT_LIMIT_EXCEEDED = "event_limit_exceeded";
  public static final String BYTE_LIMIT_EXCEEDED = "byte_limit_exceeded";
  public static final String SERVER_BUSY = "server_busy";

  /** What a run's event may add to its envelope beyond its type and data: id, run id, time. */
  private static final int ENVELOPE = 256;

  private final String id;
  private final RunRequest request;
  private final Instant createdAt;
  private final EventLog events; // null for an archived run
  private final EventReader archive; // null for a run held in memory
  private final Journal journal;
  private final Ownership ownership;
  private final RunLimits limits;
  private final CompletableFuture<Run> ended = new CompletableFuture<>();
  private final CompletableFuture<Run> committedEnd = new CompletableFuture<>();
  private volatile RunStatus committedStatus;
  private volatile long committedId;
  private volatile long lastEventNanos = System.nanoTime(); // made, restored, or its last event

  // guarded by this
  private RunStatus status = RunStatus.QUEUED;
  private Instant startedAt;
  private Instant completedAt;
  private String output;
  private RunError error;
  private String message;
  private String finishReason;
  private JsonObject usage;
  private final StringBuilder streamed = new StringBuilder();
  private Consumer<RunEvent> listener = event -> {};
  private List<RunEvent> held; // appended in a keyed call, handed to the journal at its end
  private final TreeMap<Long, CompletableFuture<RunEvent>> awaited = new TreeMap<>();
  private long bytes; // what its events cost, taken from the budget
  private long prepaid; // taken from the budget for a producer's post, not spent yet
  private boolean released; // its bytes are given back: its end is committed

  private Run(
      String id,
      RunRequest request,
      Instant createdAt,
      EventLog events,
      EventReader archive,
      Journal journal,
      Ownership ownership,
      RunLimits limits) {
    this.id = id;
    this.request = request;
    this.createdAt = createdAt;
    this.events = events;
    this.archive = archive;
    this.journal = journal;
    this.ownership = ownership;
    this.limits = limits;
    this.committedStatus = RunStatus.QUEUED;
  }

  /**
   * A new run, its {@code run.created} event appended and handed to {@code journal} with {@code
   * key} (may be null), the idempotency key of the request that creates it.
   */
  public static Run create(
      String id, RunRequest request, int eventLimit, Journal journal, IdempotencyKey key) {
    return create(id, request, eventLimit, journal, key, Ownership.NONE);
  }

  /** A new run, as {@link #create(String, RunRequest, int, Journal, IdempotencyKey)}, owned. */
  public static Run create(
      String id,
      RunRequest request,
      int eventLimit,
      Journal journal,
      IdempotencyKey key,
      Ownership ownership) {
    return create(id, request, RunLimits.ofEvents(eventLimit), journal, key, ownership);
  }

  /**
   * A new run, as {@link #create(String, RunRequest, int, Journal, IdempotencyKey)}, owned, within
   * {@code limits}; its {@code run.created} event is taken from the budget whether it has room or
   * not (the registry admits a run only while it has).
   */
  public static Run create(
      String id,
      RunRequest request,
      RunLimits limits,
      Journal journal,
      IdempotencyKey key,
      Ownership ownership) {
    Run run =
        new Run(
            id,
            request,
            Timestamps.now(),
            new EventLog(Math.max(limits.events(), 4)),
            null,
            journal,
            ownership,
            limits);
    synchronized (run) {
      run.keyed(key, () -> run.appendRunEvent(RunEvent.RUN_CREATED));
    }
    return run;
  }

  /**
   * A run kept in the store and not in memory: it has ended (or is produced elsewhere), nothing can
   * be appended to it here, and its events are read through {@code archive}; {@code owner} may be
   * null.
   */
  public static Run archived(
      String id,
      RunRequest request,
      Instant createdAt,
      RunStatus status,
      long lastEventId,
      EventReader archive,
      String owner) {
    Run run =
        new Run(
            id,
            request,
            createdAt,
            null,
            archive,
            (r, event, key) -> {
              throw new IllegalStateException("an archived run takes no event");
            },
            new Ownership(owner, null),
            RunLimits.ofEvents(4));
    run.status = status;
    run.committedStatus = status;
    run.committedId = lastEventId;
    if (status.ended()) {
      run.ended.complete(run);
      run.committedEnd.complete(run);
    }
    return run;
  }

  /**
   * A run of the store that was still producing when the server stopped, held in memory again with
   * its committed {@code history}: its state is what its events say, and it goes on from its last
   * event; {@code owner} may be null.
   */
  public static Run restored(
      String id,
      RunRequest request,
      Instant createdAt,
      int eventLimit,
      List<RunEvent> history,
      Journal journal,
      String owner) {
    return restored(
        id, request, createdAt, RunLimits.ofEvents(eventLimit), history, journal, owner);
  }

  /**
   * A run restored as {@link #restored(String, RunRequest, Instant, int, List, Journal, String)},
   * within {@code limits}: its history is taken from the budget whether it has room or not.
   */
  public static Run restored(
      String id,
      RunRequest request,
      Instant createdAt,
      RunLimits limits,
      List<RunEvent> history,
      Journal journal,
      String owner) {
    Run run =
        new Run(
            id,
            request,
            createdAt,
            new EventLog(Math.max(limits.events(), 4)),
            null,
            journal,
            new Ownership(owner, null),
            limits);
    synchronized (run) {
      for (RunEvent event : history) {
        run.events.append(event);
        run.replay(event);
        run.spend(cost(event), true);
      }
      run.events.commit(run.events.lastId());
      run.committedId = run.events.lastId();
      run.committedStatus = run.status;
    }
    return run;
  }

  public String id() {
    return id;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public RunRequest request() {
    return request;
  }

  /** Its owner, and (for a new run only) its producer token's hash. */
  public Ownership ownership() {
    return ownership;
  }

  /** The status as clients see it: that of the last committed event. */
  public RunStatus status() {
    return committedStatus;
  }

  /** Whether the run is held in memory and can take events here. */
  public boolean isLive() {
    return events != null;
  }

  /** Completes when the terminal event is in the log (committed or not): responders stop. */
  public CompletionStage<Run> ended() {
    return ended;
  }

  /** Completes when the terminal event is committed. */
  public CompletionStage<Run> endCommitted() {
    return committedEnd;
  }

  /**
   * Nanoseconds from the run's last event (or from when it was made or restored, before any) to
   * {@code now}, a {@link System#nanoTime} reading.
   */
  public long nanosSinceLastEvent(long now) {
    return now - lastEventNanos;
  }

  /**
   * Fails the run with {@code failure} if it has had no event for {@code nanos} (see {@link
   * #nanosSinceLastEvent}), looked at under the run's lock: an event appended meanwhile keeps it
   * going. Whether it failed it.
   */
  public synchronized boolean failIfSilentFor(long nanos, RunError failure) {
    if (nanosSinceLastEvent(System.nanoTime()) < nanos) {
      return false;
    }
    fail(failure);
    return true;
  }

  /** The id of the last committed event. */
  public long lastEventId() {
    return committedId;
  }

  /** Up to {@code max} committed events after {@code afterId}, in order; lock-free. */
  public List<RunEvent> eventsAfter(long afterId, int max) {
    if (archive != null) {
      long left = committedId - afterId;
      return left <= 0 ? List.of() : archive.read(id, afterId, (int) Math.min(max, left));
    }
    return events.after(afterId, max);
  }

  /**
   * Completes with the event {@code eventId} once it is committed (at once if it is); the way a
   * producer's request waits for its event to be durable.
   */
  public synchronized CompletionStage<RunEvent> whenCommitted(long eventId) {
    if (eventId <= committedId) {
      return CompletableFuture.completedFuture(events.get(eventId));
    }
    return awaited.computeIfAbsent(eventId, id -> new CompletableFuture<>());
  }

  /**
   * The journal has committed every event up to {@code eventId}: clients see them from now on, the
   * listener is told, and whoever waits for one of them goes on (outside the run's lock).
   */
  public void committed(long eventId) {
    List<Map.Entry<RunEvent, CompletableFuture<RunEvent>>> ready = new ArrayList<>();
    synchronized (this) {
      if (eventId <= committedId) {
        return;
      }
      RunStatus now = committedStatus;
      for (long id = committedId + 1; id <= eventId; id++) { // a batch: in progress, then more
        now = status(events.get(id), now);
      }
      events.commit(eventId);
      committedId = eventId;
      RunEvent last = events.get(eventId);
      committedStatus = now;
      var done = awaited.headMap(eventId, true);
      done.forEach((id, waiter) -> ready.add(Map.entry(events.get(id), waiter)));
      done.clear();
      listener.accept(last);
    }
    if (committedStatus.ended()) { // first: whoever waits for the end sees the run let go
      release();
      committedEnd.complete(this);
    }
    ready.forEach(entry -> entry.getValue().complete(entry.getKey()));
  }

  /** Gives its bytes back to the budget, once: its end is committed, it leaves memory. */
  private synchronized void release() {
    if (!released) {
      released = true;
      limits.budget().release(bytes + prepaid);
      prepaid = 0;
    }
  }

  /** The bytes its events cost, as taken from the budget (see {@link #cost}). */
  public synchronized long bytes() {
    return bytes;
  }

  /**
   * What an event costs the heap while its run is held, as counted against the limits: its envelope
   * is kept as a string and its data as a tree of about as many characters, so twice its length.
   */
  public static long cost(RunEvent event) {
    return 2L * event.json().length();
  }

  /**
   * Runs {@code append} with {@code chars} characters of events (their data and type as JSON; each
   * event's envelope is added here) taken from the budget first, so that none of what it appends
   * can find the budget spent: a producer's post is appended whole or not at all. Throws {@link
   * ServerBusyException}, with nothing appended, if the budget does not have them.
   */
  public synchronized <T> T withRoomFor(long chars, int events, Supplier<T> append) {
    ensureOpen(); // an ended run takes nothing, and would never give it back
    long room = 2 * (chars + (long) ENVELOPE * events);
    if (!limits.budget().tryTake(room)) {
      throw new ServerBusyException(
          "The server holds as many bytes of runs as it may (chat.limits.bytes-held): this post"
              + " was not appended.",
          5);
    }
    prepaid += room;
    try {
      return append.get();
    } finally {
      limits.budget().release(prepaid); // nothing if its end gave everything back meanwhile
      prepaid = 0;
    }
  }

  /**
   * Has {@code listener} called with the last of every batch of events committed from now on, under
   * the run's lock, so the calls follow the log's order. False, and no listener, if the run's end
   * is already committed.
   */
  public synchronized boolean listen(Consumer<RunEvent> listener) {
    if (committedStatus.ended()) {
      return false;
    }
    this.listener = listener;
    return true;
  }

  /**
   * Stops calling {@code listener} if it is the run's listener; once this returns, no call of it is
   * under way.
   */
  public synchronized void stopListening(Consumer<RunEvent> listener) {
    if (this.listener == listener) {
      this.listener = event -> {};
    }
  }

  /**
   * Runs {@code action} under the run's lock if the run's end is not committed yet; tells whether
   * it ran.
   */
  public synchronized boolean whileOpen(Runnable action) {
    if (committedStatus.ended()) {
      return false;
    }
    action.run();
    return true;
  }

  /**
   * Runs {@code append} with every event it appends handed to the journal at its end, the last one
   * with {@code key} (may be null): the idempotency key of the request whose event that is.
   */
  public synchronized RunEvent keyed(IdempotencyKey key, Supplier<RunEvent> append) {
    if (key == null || held != null) {
      return append.get();
    }
    held = new ArrayList<>(2);
    RunEvent requested = null;
    try {
      requested = append.get();
      return requested;
    } finally {
      List<RunEvent> appended = held;
      held = null;
      for (RunEvent event : appended) {
        journal.append(this, event, event == requested ? key : null);
      }
    }
  }

  /** {@code run.in_progress}, once; later calls do nothing. */
  public synchronized void start() {
    ensureOpen();
    ensureStarted();
  }

  public synchronized RunEvent appendDelta(String delta) {
    ensureOpen();
    ensureStarted();
    RunEvent event = append(RunEvent.MESSAGE_DELTA, Jsons.object().add("delta", delta).build());
    streamed.append(delta);
    return event;
  }

  public synchronized RunEvent completeMessage(String content) {
    ensureOpen();
    ensureStarted();
    RunEvent event =
        append(
            RunEvent.MESSAGE_COMPLETED,
            Jsons.object().add("role", Role.ASSISTANT.wire()).add("content", content).build());
    message = content;
    return event;
  }

  /** An event of a type of the producer's own, appended as it is. */
  public synchronized RunEvent appendCustom(String type, JsonObject data) {
    ensureOpen();
    ensureStarted();
    return append(type, data);
  }

  /**
   * {@code run.completed}: the output is the completed message, or the deltas joined if no message
   * was completed.
   */
  public synchronized RunEvent complete() {
    ensureOpen();
    ensureStarted();
    output = message != null ? message : streamed.toString();
    return end(RunStatus.COMPLETED, RunEvent.RUN_COMPLETED);
  }

  /**
   * {@code run.completed}, recording why the reply ended ({@code finish_reason}) and what it cost
   * ({@code usage}) as the responder's upstream reported them; either may be null.
   */
  public synchronized RunEvent complete(String finishReason, JsonObject usage) {
    ensureOpen();
    this.finishReason = finishReason;
    this.usage = usage;
    return complete();
  }

  public synchronized RunEvent fail(RunError failure) {
    ensureOpen();
    error = failure;
    return end(RunStatus.FAILED, RunEvent.RUN_FAILED);
  }

  public synchronized RunEvent cancel() {
    ensureOpen();
    return end(RunStatus.CANCELLED, RunEvent.RUN_CANCELLED);
  }

  /** The run as it is now, with every appended event (committed or not). */
  public synchronized JsonObject toJson() {
    return toJson(events.lastId());
  }

  private JsonObject toJson(long lastEventId) {
    JsonObjectBuilder input = Jsons.object();
    var messages = Jsons.array();
    request.messages().forEach(m -> messages.add(m.toJson()));
    input.add("messages", messages);
    var metadata = Jsons.object();
    request.metadata().forEach(metadata::add);
    JsonObjectBuilder json =
        Jsons.object()
            .add("id", id)
            .add("status", status.wire())
            .add("responder", request.responder());
    nullable(json, "model", request.model());
    json.add("input", input).add("options", request.options());
    if (output == null) {
      json.addNull("output");
    } else {
      json.add("output", Jsons.object().add("role", Role.ASSISTANT.wire()).add("content", output));
    }
    if (error == null) {
      json.addNull("error");
    } else {
      json.add("error", error.toJson());
    }
    if (finishReason != null) {
      json.add("finish_reason", finishReason);
    }
    if (usage != null) {
      json.add("usage", usage);
    }
    json.add("metadata", metadata);
    nullable(json, "owner", ownership.owner());
    json.add("created_at", Timestamps.wire(createdAt));
    nullable(json, "started_at", startedAt == null ? null : Timestamps.wire(startedAt));
    nullable(json, "completed_at", completedAt == null ? null : Timestamps.wire(completedAt));
    return json.add("last_event_id", lastEventId).build();
  }

  private static void nullable(JsonObjectBuilder json, String name, String value) {
    if (value == null) {
      json.addNull(name);
    } else {
      json.add(name, value);
    }
  }

  private void ensureOpen() {
    if (status.ended()) {
      throw new RunEndedException(id, status);
    }
  }

  private void ensureStarted() {
    if (status == RunStatus.QUEUED) {
      status = RunStatus.IN_PROGRESS;
      startedAt = Timestamps.now();
      appendRunEvent(RunEvent.RUN_IN_PROGRESS);
    }
  }

  private RunEvent end(RunStatus terminal, String type) {
    status = terminal;
    completedAt = Timestamps.now();
    RunEvent event = appendRunEvent(type);
    ended.complete(this);
    return event;
  }

  /** A {@code run.*} event: its data is the run as it is with this event in the log. */
  private RunEvent appendRunEvent(String type) {
    long id = events.lastId() + 1;
    return appendEvent(RunEvent.of(id, this.id, type, Timestamps.now(), toJson(id)));
  }

  private RunEvent append(String type, JsonObject data) {
    if (events.lastId() + 2 > events.capacity()) {
      throw failOver(
          EVENT_LIMIT_EXCEEDED, "The run reached its limit of " + events.capacity() + " events.");
    }
    RunEvent event = RunEvent.of(events.lastId() + 1, id, type, Timestamps.now(), data);
    long cost = cost(event);
    if (cost > limits.bytes() - bytes) {
      throw failOver(
          BYTE_LIMIT_EXCEEDED,
          "The run reached its limit of " + limits.bytes() + " bytes of events.");
    }
    if (!spend(cost, false)) {
      throw failOver(
          SERVER_BUSY,
          "The server had no memory left for this run's events (chat.limits.bytes-held).");
    }
    events.append(event);
    return handOver(event);
  }

  /** Fails the run with {@code code}: the event that did not fit is not appended. */
  private RunLimitException failOver(String code, String reason) {
    error = new RunError(code, reason);
    end(RunStatus.FAILED, RunEvent.RUN_FAILED);
    return new RunLimitException(id, code, reason);
  }

  /**
   * Takes {@code cost} from the budget whether it has room or not if {@code always} (a {@code
   * run.*} event, which leaves what a post paid ahead to the post's own events); else from what a
   * post paid ahead, and what that lacks from the budget if it has room. Whether it took it.
   */
  private boolean spend(long cost, boolean always) {
    if (always) {
      limits.budget().take(cost);
    } else {
      long fromPrepaid = Math.min(prepaid, cost);
      if (cost > fromPrepaid && !limits.budget().tryTake(cost - fromPrepaid)) {
        return false;
      }
      prepaid -= fromPrepaid;
    }
    bytes += cost;
    return true;
  }

  /** A {@code run.*} event: always appended, its bytes taken whether the budget has them or not. */
  private RunEvent appendEvent(RunEvent event) {
    spend(cost(event), true);
    events.append(event);
    return handOver(event);
  }

  private RunEvent handOver(RunEvent event) {
    lastEventNanos = System.nanoTime();
    if (held != null) {
      held.add(event);
    } else {
      journal.append(this, event, null);
    }
    return event;
  }

  /** The status after {@code event}, a committed one, given the status before it. */
  private static RunStatus status(RunEvent event, RunStatus before) {
    return switch (event.type()) {
      case RunEvent.RUN_IN_PROGRESS -> RunStatus.IN_PROGRESS;
      case RunEvent.RUN_COMPLETED -> RunStatus.COMPLETED;
      case RunEvent.RUN_FAILED -> RunStatus.FAILED;
      case RunEvent.RUN_CANCELLED -> RunStatus.CANCELLED;
      default -> before;
    };
  }

  /** Takes the state an event of the run's history records (see {@link #restored}). */
  private void replay(RunEvent event) {
    JsonObject data = event.data();
    switch (event.type()) {
      case RunEvent.RUN_IN_PROGRESS -> {
        status = RunStatus.IN_PROGRESS;
        startedAt = event.createdAt();
      }
      case RunEvent.MESSAGE_DELTA -> streamed.append(data.getString("delta", ""));
      case RunEvent.MESSAGE_COMPLETED -> message = data.getString("content", null);
      default -> {
        if (event.terminal()) {
          throw new IllegalArgumentException("a run with a terminal event is not restored");
        }
      }
    }
  }
}
