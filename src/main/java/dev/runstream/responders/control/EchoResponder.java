package dev.runstream.responders.control;

import dev.runstream.input.entity.Violations;
import dev.runstream.runs.entity.ChatMessage;
import dev.runstream.runs.entity.Responder;
import dev.runstream.runs.entity.Role;
import dev.runstream.runs.entity.Run;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Replies with the last user message's content, one word per {@code message.delta} (several words
 * per delta past {@code chat.echo.max-deltas} words), pausing {@code token_delay_ms} (the run's
 * option, else {@code chat.echo.token-delay-ms}) between deltas. Pauses are scheduled, not slept: a
 * waiting run holds no thread.
 */
@ApplicationScoped
public class EchoResponder implements Responder {

  public static final String NAME = "echo";
  public static final String TOKEN_DELAY_MS = "token_delay_ms";
  public static final long MAX_TOKEN_DELAY_MS = 10_000;

  @Resource ManagedThreadFactory threads;

  @Inject
  @ConfigProperty(name = "chat.echo.token-delay-ms", defaultValue = "50")
  long defaultDelayMs;

  /** Deltas of one reply at most: a message of 100 000 words is echoed in pieces of several. */
  @Inject
  @ConfigProperty(name = "chat.echo.max-deltas", defaultValue = "256")
  int maxDeltas;

  /**
   * The words' timer, built once over container-managed threads. Not a
   * ManagedScheduledExecutorService: Payara captures the caller's context on every task submitted
   * to one, a class-path scan, and a run schedules a task per word.
   */
  private ScheduledThreadPoolExecutor scheduler;

  @PostConstruct
  void start() {
    if (maxDeltas < 1) {
      throw new IllegalArgumentException("chat.echo.max-deltas must be at least 1: " + maxDeltas);
    }
    scheduler = new ScheduledThreadPoolExecutor(2, threads);
    scheduler.setRemoveOnCancelPolicy(true);
  }

  /** Undeploying stops every reply under way: nothing is left scheduled for a WAR that is gone. */
  @PreDestroy
  void stop() {
    scheduler.shutdownNow();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void checkOptions(JsonObject options, Violations violations) {
    violations.onlyKnownFields(options, "/options", Set.of(TOKEN_DELAY_MS));
    JsonValue delay = Violations.given(options, TOKEN_DELAY_MS);
    if (delay != null && !isDelay(delay)) {
      violations.add(
          "/options/" + TOKEN_DELAY_MS,
          "Must be a whole number of milliseconds from 0 to " + MAX_TOKEN_DELAY_MS + ".");
    }
  }

  @Override
  public void start(Run run) {
    JsonValue delay = Violations.given(run.request().options(), TOKEN_DELAY_MS);
    long delayMs = delay == null ? defaultDelayMs : ((JsonNumber) delay).longValueExact();
    String reply = lastUserContent(run.request().messages());
    new EchoJob(run, reply, Words.inAtMost(Words.split(reply), maxDeltas), delayMs, scheduler)
        .begin();
  }

  static String lastUserContent(List<ChatMessage> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role() == Role.USER) {
        return messages.get(i).content();
      }
    }
    return "";
  }

  private static boolean isDelay(JsonValue value) {
    if (value.getValueType() != JsonValue.ValueType.NUMBER) {
      return false;
    }
    JsonNumber number = (JsonNumber) value;
    if (!number.isIntegral()) {
      return false;
    }
    try {
      long ms = number.longValueExact();
      return ms >= 0 && ms <= MAX_TOKEN_DELAY_MS;
    } catch (ArithmeticException e) {
      return false;
    }
  }
}
