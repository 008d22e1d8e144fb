package dev.runstream.input.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Request bodies being read without a thread: each must arrive whole within {@code
 * chat.limits.body-read-seconds}, and, past its first {@value #GRACE_SECONDS} seconds, at {@code
 * chat.limits.body-min-bytes-per-second} or faster on average. A sweep, four times a second, ends
 * those that do not (a client that sends nothing more is never called back for). The bytes of
 * bodies held at once are bounded too ({@code chat.limits.body-bytes-in-flight}).
 */
@ApplicationScoped
public class BodyReads {

  /** How long a body may take before its rate counts: a slow start is no trickle. */
  public static final int GRACE_SECONDS = 2;

  private static final Logger LOG = Logger.getLogger(BodyReads.class.getName());
  private static final long SWEEP_MS = 250;

  @Inject
  @ConfigProperty(name = "chat.limits.body-read-seconds", defaultValue = "30")
  double deadlineSeconds;

  @Inject
  @ConfigProperty(name = "chat.limits.body-min-bytes-per-second", defaultValue = "1024")
  long minRate;

  /**
   * The bytes of request bodies being read or handled at once; unset, a 64th of the most heap the
   * JVM may take. A body is in memory from its first byte until its request is answered, and
   * parsing it takes a few times its size again: without a bound, a few hundred 1 MB bodies at once
   * would fill any heap.
   */
  @Inject
  @ConfigProperty(name = "chat.limits.body-bytes-in-flight")
  Optional<Long> inFlightSetting;

  @Resource ManagedScheduledExecutorService scheduler;

  private final AtomicLong inFlight = new AtomicLong();
  private long inFlightLimit;

  private final Set<Reading> reading = ConcurrentHashMap.newKeySet();
  private ScheduledFuture<?> sweeper;
  private long deadlineNanos;

  /** A body being read: told to give up when it is too slow. */
  public interface Reading {

    /** Nanoseconds ({@link System#nanoTime}) when its reading began. */
    long startedNanos();

    /** The bytes it has received so far. */
    long received();

    /** Ends it: the body came too slowly, as {@code detail} says. */
    void tooSlow(String detail);
  }

  @PostConstruct
  void start() {
    if (!(deadlineSeconds > 0) || minRate < 0) {
      throw new IllegalArgumentException(
          "chat.limits.body-read-seconds must be above 0 and body-min-bytes-per-second at least"
              + " 0: "
              + deadlineSeconds
              + ", "
              + minRate);
    }
    deadlineNanos = Math.round(deadlineSeconds * 1e9);
    inFlightLimit = inFlightSetting.orElse(Runtime.getRuntime().maxMemory() / 64);
    if (inFlightLimit < 1) {
      throw new IllegalArgumentException(
          "chat.limits.body-bytes-in-flight must be at least 1: " + inFlightLimit);
    }
    sweeper =
        scheduler.scheduleWithFixedDelay(this::sweep, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    sweeper.cancel(false);
  }

  /** Milliseconds a body may take in all. */
  public long deadlineMillis() {
    return TimeUnit.NANOSECONDS.toMillis(deadlineNanos);
  }

  /** Takes {@code bytes} of body in flight if there is room for them; whether it took them. */
  public boolean tryTake(long bytes) {
    long now;
    do {
      now = inFlight.get();
      if (bytes > inFlightLimit - now) {
        return false;
      }
    } while (!inFlight.compareAndSet(now, now + bytes));
    return true;
  }

  /** Gives back bytes of body in flight: their request has been answered. */
  public void release(long bytes) {
    inFlight.addAndGet(-bytes);
  }

  /** The bytes of bodies in flight now. */
  public long inFlight() {
    return inFlight.get();
  }

  public long inFlightLimit() {
    return inFlightLimit;
  }

  public void add(Reading body) {
    reading.add(body);
  }

  public void remove(Reading body) {
    reading.remove(body);
  }

  /** Bodies being read now. */
  public int size() {
    return reading.size();
  }

  /** Why {@code body} is too slow at {@code now}, or null if it is not. */
  public String whyTooSlow(Reading body, long now) {
    long elapsed = now - body.startedNanos();
    if (elapsed > deadlineNanos) {
      return "The request body did not arrive within " + seconds(deadlineSeconds) + " seconds.";
    }
    if (elapsed > TimeUnit.SECONDS.toNanos(GRACE_SECONDS)
        && body.received() < minRate * (elapsed / 1e9)) {
      return "The request body arrived slower than " + minRate + " bytes per second.";
    }
    return null;
  }

  /** A periodic task that throws is never run again: each body on its own, and log instead. */
  private void sweep() {
    long now = System.nanoTime();
    for (Reading body : reading) {
      try {
        String why = whyTooSlow(body, now);
        if (why != null) {
          reading.remove(body);
          body.tooSlow(why);
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "ending a slow request body failed", e);
      }
    }
  }

  private static String seconds(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
