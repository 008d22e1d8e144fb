package dev.runstream.streaming.control;

import dev.runstream.input.entity.InvalidInputException;
import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunRemoved;
import dev.runstream.streaming.entity.NothingToStreamException;
import dev.runstream.streaming.entity.StreamSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Every open event stream, one {@link RunStream} (and broadcaster) per watched run. */
@ApplicationScoped
public class StreamRegistry {

  @Resource(lookup = "java:app/concurrent/streams")
  ManagedExecutorService executor;

  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "chat.stream.retry-ms", defaultValue = "3000")
  long retryMs;

  @Inject
  @ConfigProperty(name = "chat.stream.heartbeat-seconds", defaultValue = "15")
  long heartbeatSeconds;

  @Inject
  @ConfigProperty(name = "chat.limits.subscriber-backlog", defaultValue = "1024")
  long subscriberBacklog;

  @Inject
  @ConfigProperty(name = "chat.stream.write-timeout-ms", defaultValue = "30000")
  long writeTimeoutMs;

  private final ConcurrentHashMap<String, RunStream> streams = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private StreamSettings settings;
  private ScheduledFuture<?> heartbeat;

  @PostConstruct
  void start() {
    settings = new StreamSettings(retryMs, heartbeatSeconds, subscriberBacklog, writeTimeoutMs);
    heartbeat =
        scheduler.scheduleAtFixedRate(
            () -> streams.values().forEach(RunStream::heartbeat),
            heartbeatSeconds,
            heartbeatSeconds,
            TimeUnit.SECONDS);
  }

  @PreDestroy
  void stop() {
    heartbeat.cancel(false);
    streams.values().forEach(RunStream::close);
    streams.clear();
  }

  /**
   * Streams {@code run} to {@code sink}: the events after {@code lastEventId}, then live ones until
   * the terminal event. Throws before anything is written if there is nothing to stream.
   */
  public void subscribe(Run run, long lastEventId, SseEventSink sink, Sse sse) {
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
        streams.computeIfAbsent(
            run.id(), id -> RunStream.open(run, sse, left -> open.decrementAndGet()));
    Subscriber subscriber =
        new Subscriber(stream, sink, sse, lastEventId, executor, scheduler, settings);
    if (!subscriber.greet()) {
      sink.close(); // the client is already gone
      return;
    }
    open.incrementAndGet();
    stream.join(subscriber);
  }

  /** Open streams, over all runs. */
  public int openStreams() {
    return open.get();
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
