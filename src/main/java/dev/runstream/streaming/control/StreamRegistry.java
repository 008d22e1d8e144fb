package dev.runstream.streaming.control;

import dev.runstream.input.entity.InvalidInputException;
import dev.runstream.runs.entity.Caller;
import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunRemoved;
import dev.runstream.streaming.entity.ClientConnection;
import dev.runstream.streaming.entity.NothingToStreamException;
import dev.runstream.streaming.entity.StreamSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Every open event stream, one {@link RunStream} (and broadcaster) per watched run. */
@ApplicationScoped
public class StreamRegistry {

  private static final long WRITABLE_RETRY_MS = 20;

  private static final Logger LOG = Logger.getLogger(StreamRegistry.class.getName());

  /** Writers of event streams, from the container's default thread factory. */
  @Resource ManagedThreadFactory threads;

  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "chat.stream.retry-ms", defaultValue = "3000")
  long retryMs;

  /** Spread of the {@code retry:} hint over streams; unset: the retry time itself. */
  @Inject
  @ConfigProperty(name = "chat.stream.retry-jitter-ms")
  Optional<Long> retryJitterMs;

  @Inject
  @ConfigProperty(name = "chat.stream.heartbeat-seconds", defaultValue = "15")
  long heartbeatSeconds;

  @Inject
  @ConfigProperty(name = "chat.limits.subscriber-backlog", defaultValue = "1024")
  long subscriberBacklog;

  @Inject
  @ConfigProperty(name = "chat.stream.write-timeout-ms", defaultValue = "10000")
  long writeTimeoutMs;

  /** Writers never wait on a client; unset: two per core. */
  @Inject
  @ConfigProperty(name = "chat.stream.writer-threads")
  Optional<Integer> writerThreads;

  @Inject
  @ConfigProperty(name = "chat.limits.subscribers-per-run", defaultValue = "1000")
  int subscribersPerRun;

  /**
   * Of one user; with identity off (no user) streams are not counted per user. Unset: 100, or one
   * less than the server's total if that is smaller (a small server needs no second setting).
   */
  @Inject
  @ConfigProperty(name = "chat.limits.streams-per-subject")
  Optional<Integer> streamsPerSubject;

  @Inject
  @ConfigProperty(name = "chat.limits.streams-total", defaultValue = "10000")
  int streamsTotal;

  private final ConcurrentHashMap<String, RunStream> streams = new ConcurrentHashMap<>();

  /**
   * Sinks of cut streams that may still be closing or writing: the watchdog interrupts what is
   * stuck until they are done. Only the sinks: a cut stream must not keep its run (and the run's
   * log) in memory until the next round.
   */
  private final Set<WatchedSink> leaving = ConcurrentHashMap.newKeySet();

  /** Every open stream, of live runs and of ended ones, for the watchdog. */
  private final Set<StreamWriter> open = ConcurrentHashMap.newKeySet();

  /**
   * Streams whose client was not writable at their last try (its connection's write queue full):
   * retried every {@link #WRITABLE_RETRY_MS}, woken once writable. A write is never begun that
   * would wait on the client, and a client that reads again is not left waiting for the watchdog.
   */
  private final Set<StreamWriter> waitingForClients = ConcurrentHashMap.newKeySet();

  private StreamSettings settings;
  private StreamSlots slots;
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();

  /**
   * The writers' pool, built once over container-managed threads. Not a ManagedExecutorService:
   * Payara captures the caller's context on every task submitted to one, a class-path scan that
   * took 40% of the server's CPU at a task per subscriber per event (docs/benchmarks.md).
   */
  private WriterPool executor;

  @PostConstruct
  void start() {
    int writers = Math.max(1, writerThreads.orElse(2 * Runtime.getRuntime().availableProcessors()));
    executor = new WriterPool(writers, threads);
    settings =
        new StreamSettings(
            retryMs, retryJitterMs.orElse(retryMs), subscriberBacklog, writeTimeoutMs);
    slots =
        new StreamSlots(
            subscribersPerRun,
            streamsPerSubject.orElse(Math.max(1, Math.min(100, streamsTotal - 1))),
            streamsTotal,
            Math.max(1, (retryMs + 999) / 1000));
    timers.add(
        scheduler.scheduleAtFixedRate(
            guarded(() -> streams.values().forEach(RunStream::heartbeat)),
            heartbeatSeconds,
            heartbeatSeconds,
            TimeUnit.SECONDS));
    timers.add(
        scheduler.scheduleWithFixedDelay(
            guarded(() -> waitingForClients.removeIf(w -> w.isCut() || w.wakeIfWritable())),
            WRITABLE_RETRY_MS,
            WRITABLE_RETRY_MS,
            TimeUnit.MILLISECONDS));
    long watch = Math.max(100, Math.min(1000, writeTimeoutMs / 4));
    timers.add(
        scheduler.scheduleAtFixedRate(guarded(this::check), watch, watch, TimeUnit.MILLISECONDS));
  }

  /** Starts with the application, so that settings it cannot use fail the deployment. */
  void started(@Observes @Initialized(ApplicationScoped.class) Object application) {
    openStreams();
  }

  /** Ends every open stream: clients see the connection end and resume with Last-Event-ID. */
  @PreDestroy
  void stop() {
    timers.forEach(timer -> timer.cancel(false));
    streams.keySet().forEach(this::disconnect);
    open.forEach(StreamWriter::cut);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
        executor.shutdownNow(); // interrupts writes still blocked on clients that stopped reading
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Streams {@code run} to {@code sink} for {@code caller}: the events after {@code lastEventId},
   * then live ones until the terminal event. {@code connection} tells whether a write to the client
   * would complete without waiting (see {@link WatchedSink#ready}) and how many frames a write may
   * carry. Throws before anything is written if there is nothing to stream or no room for another
   * stream (of the run, of the caller's subject, of the server).
   */
  public void subscribe(
      Run run,
      long lastEventId,
      SseEventSink sink,
      ClientConnection connection,
      Sse sse,
      Caller caller) {
    boolean ended = run.status().ended();
    long last = run.lastEventId();
    if (lastEventId >= last && ended) {
      throw new NothingToStreamException(run.id());
    }
    if (lastEventId > last) {
      throw new InvalidInputException(
          "Last-Event-ID",
          "Event " + lastEventId + " does not exist yet: the run's last event is " + last + ".");
    }
    RunStream stream =
        ended ? open(run, sse) : streams.computeIfAbsent(run.id(), id -> open(run, sse));
    if (stream.ended()) { // it ended between the look and the fan-out: not kept for the next one
      streams.remove(run.id(), stream);
    }
    StreamSlots.Slot slot = slots.take(stream.slotsTaken(), caller.subject());
    StreamWriter writer =
        new StreamWriter(
            stream,
            new WatchedSink(sink, connection.writable()),
            connection.framesPerWrite(),
            slot,
            lastEventId,
            sse,
            executor,
            waitingForClients,
            settings);
    open.add(writer);
    if (writer.greet()) {
      stream.join(writer);
    } else { // the client is already gone
      writer.cut();
    }
  }

  /**
   * A run's fan-out. It is in {@link #streams} while the run's end is not committed; afterwards a
   * stream only reads what is in the log, and the run is not kept for it.
   */
  private RunStream open(Run run, Sse sse) {
    return RunStream.open(run, sse, executor, this::left, ended -> streams.remove(run.id(), ended));
  }

  private void left(StreamWriter writer) {
    open.remove(writer);
    leaving.add(writer.sink()); // it may still be closing or writing: the watchdog sees to it
  }

  /**
   * The watchdog: slow, stuck and forgotten streams (see {@link StreamWriter#check}), and cut ones
   * whose sink is still being closed or written ({@link WatchedSink#interruptIfStuck}).
   */
  private void check() {
    long writeDeadline = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(writeTimeoutMs);
    open.forEach(writer -> writer.check(writeDeadline));
    leaving.removeIf(sink -> sink.interruptIfStuck(writeDeadline));
  }

  /** A periodic task that throws is never run again: log instead. */
  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a stream timer failed; it runs again", e);
      }
    };
  }

  /** Open streams, over all runs. */
  public int openStreams() {
    return slots.open();
  }

  /**
   * Open streams of one run that wait on their client: it has not taken what was written, so the
   * stream writes nothing more until it does (or is cut).
   */
  public int waitingOnClients(String runId) {
    return (int) open.stream().filter(w -> w.runId().equals(runId) && w.waitsOnClient()).count();
  }

  /** Open streams of one run. */
  public int subscribers(String runId) {
    RunStream stream = streams.get(runId);
    return stream == null ? 0 : stream.size();
  }

  /**
   * Ends every open stream of the run now; its clients reconnect with {@code Last-Event-ID} and
   * resume where they were.
   */
  public void disconnect(String runId) {
    RunStream stream = streams.remove(runId);
    if (stream != null) {
      stream.close();
    }
  }

  void forget(@Observes RunRemoved removed) {
    disconnect(removed.runId());
  }
}
