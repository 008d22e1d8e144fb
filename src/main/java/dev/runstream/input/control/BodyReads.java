package dev.runstream.input.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
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
 *
 * <p>A body that comes in after its request's first dispatch has returned goes on to the API from
 * one thread of its own ({@link #dispatch}), never from the container's thread that delivered its
 * last bytes: Payara ran such a request twice now and then (over HTTP/2, a producer's post was
 * appended twice, about once in 4 000 posts; see {@link #dispatch}).
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

  @Resource ManagedThreadFactory threads;

  private final AtomicLong inFlight = new AtomicLong();
  private long inFlightLimit;

  private final Set<Reading> reading = ConcurrentHashMap.newKeySet();
  private ScheduledFuture<?> sweeper;
  private long deadlineNanos;
  private final BlockingQueue<Runnable> dispatches = new LinkedBlockingQueue<>();
  private Thread dispatcher;

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
    dispatcher = threads.newThread(this::dispatchUntilStopped);
    dispatcher.setName("runstream-body-dispatch");
    dispatcher.start();
  }

  @PreDestroy
  void stop() {
    sweeper.cancel(false);
    dispatcher.interrupt();
  }

  /**
   * Runs {@code dispatch} (an {@code AsyncContext.dispatch()}) on the one thread that does nothing
   * else. Payara's {@code AsyncContextImpl} marks the thread that calls {@code dispatch()} in a
   * thread-local that is never cleared, and a thread so marked that later finishes a dispatch of
   * that request runs its deferred dispatch again if it is still there: called on one of the
   * container's threads, which run dispatches too, a request was now and then handed to JAX-RS
   * twice (the second run's answer failed, "Response has not been set", or it found the request
   * recycled, a {@code NullPointerException} on {@code origRequest}; its append had happened).
   */
  public void dispatch(Runnable dispatch) {
    dispatches.add(dispatch);
  }

  private void dispatchUntilStopped() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        dispatches.take().run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a request whose body was read could not go on", e);
      }
    }
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
