package dev.runstream.runs.entity;

import dev.runstream.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One chat turn and its event log. Every change of state appends its event under the run's lock, so
 * the log and the state never disagree, and once the terminal event is in, nothing follows it. The
 * log's last slot is kept for a terminal event: a run that would outgrow it fails instead.
 */
public final class Run {

  public static final String EVENT_LIMIT_EXCEEDED = "event_limit_exceeded";

  private final String id;
  private final long sequence;
  private final RunRequest request;
  private final Instant createdAt;
  private final EventLog events;
  private final CompletableFuture<Run> ended = new CompletableFuture<>();

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

  private Run(String id, long sequence, RunRequest request, int eventLimit) {
    this.id = id;
    this.sequence = sequence;
    this.request = request;
    this.createdAt = Timestamps.now();
    this.events = new EventLog(Math.max(eventLimit, 4));
  }

  /** A new run, its {@code run.created} event already in the log. */
  public static Run create(String id, long sequence, RunRequest request, int eventLimit) {
    Run run = new Run(id, sequence, request, eventLimit);
    synchronized (run) {
      run.appendRunEvent(RunEvent.RUN_CREATED);
    }
    return run;
  }

  public String id() {
    return id;
  }

  /** Creation order: larger is newer. */
  public long sequence() {
    return sequence;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public RunRequest request() {
    return request;
  }

  public synchronized RunStatus status() {
    return status;
  }

  /** When the run ended, or null while it runs. */
  public synchronized Instant completedAt() {
    return completedAt;
  }

  /** Completes when the terminal event is in the log. */
  public CompletionStage<Run> ended() {
    return ended;
  }

  public long lastEventId() {
    return events.lastId();
  }

  /** Up to {@code max} events after {@code afterId}, in order; lock-free. */
  public List<RunEvent> eventsAfter(long afterId, int max) {
    return events.after(afterId, max);
  }

  /**
   * Has {@code listener} called with every event appended from now on, under the run's lock, so the
   * call order is the log's order. False, and no listener, if the run has already ended.
   */
  public synchronized boolean listen(Consumer<RunEvent> listener) {
    if (status.ended()) {
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

  /** Runs {@code action} under the run's lock if the run has not ended; tells whether it ran. */
  public synchronized boolean whileOpen(Runnable action) {
    if (status.ended()) {
      return false;
    }
    action.run();
    return true;
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

  /** The run as clients see it. */
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
    json.add("metadata", metadata).add("created_at", Timestamps.wire(createdAt));
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
      error =
          new RunError(
              EVENT_LIMIT_EXCEEDED,
              "The run reached its limit of " + events.capacity() + " events.");
      end(RunStatus.FAILED, RunEvent.RUN_FAILED);
      throw new EventLimitException(id, events.capacity());
    }
    return appendEvent(RunEvent.of(events.lastId() + 1, id, type, Timestamps.now(), data));
  }

  private RunEvent appendEvent(RunEvent event) {
    events.append(event);
    listener.accept(event);
    return event;
  }
}
