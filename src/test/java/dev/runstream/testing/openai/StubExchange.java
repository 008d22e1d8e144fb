package dev.runstream.testing.openai;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The stub's side of the calls for one model: the requests it got, a gate that a test opens to let
 * a held reply go on, and when the stub found its client gone.
 */
public final class StubExchange {

  /** One request as the stub received it. */
  public record Call(JsonObject body, String authorization) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final CountDownLatch gate = new CountDownLatch(1);
  private volatile boolean waiting;
  private final CompletableFuture<Long> disconnected = new CompletableFuture<>();

  void received(Call call) {
    calls.add(call);
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  public Call lastCall() {
    return calls.get(calls.size() - 1);
  }

  /** Lets a held or stalled reply go on (or end); idempotent. */
  public void release() {
    gate.countDown();
  }

  /** Whether the stub is waiting, mid-reply, for {@link #release()} right now. */
  public boolean holding() {
    return waiting;
  }

  /** {@link System#nanoTime()} when a write found the client gone. */
  public CompletableFuture<Long> disconnected() {
    return disconnected;
  }

  /** Waits up to {@code most} for the gate; true if it opened. */
  boolean awaitRelease(Duration most) {
    waiting = true;
    try {
      return gate.await(most.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    } finally {
      waiting = false;
    }
  }

  void clientGone() {
    disconnected.complete(System.nanoTime());
  }
}
