package dev.runstream.runs.control;

import dev.runstream.runs.entity.IdempotencyConflictException;
import dev.runstream.runs.entity.IdempotencyKey;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Writes made once per idempotency key. A retry gets the first write's answer: from the store once
 * the first is committed, or by waiting for it while it is under way (a concurrent retry). The same
 * key with another body is a conflict. A write is under way until its commit completes, even when
 * its own request stopped waiting for it (the store was slow): a retry meanwhile waits too, so it
 * never writes a second time.
 */
final class IdempotentCalls {

  private final ConcurrentHashMap<String, Call> underWay = new ConcurrentHashMap<>();

  /**
   * {@code write} once for {@code key} in {@code scope}; {@code stored} finds an earlier committed
   * use of the key, {@code replay} turns it into the answer, {@code await} waits for a commit.
   */
  <T> Answer<T> once(
      String scope,
      IdempotencyKey key,
      Supplier<Optional<RunStore.KeyUse>> stored,
      Function<RunStore.KeyUse, T> replay,
      Supplier<CompletionStage<T>> write,
      Function<CompletionStage<T>, T> await) {
    if (key == null) {
      return new Answer<>(await.apply(write.get()), false);
    }
    String id = scope + '\n' + key.key();
    Call mine = new Call(key.fingerprint(), new CompletableFuture<>());
    Call first = underWay.putIfAbsent(id, mine);
    if (first != null) {
      if (!first.fingerprint().equals(key.fingerprint())) {
        throw new IdempotencyConflictException();
      }
      @SuppressWarnings("unchecked")
      CompletionStage<T> answer = (CompletionStage<T>) first.answer();
      return new Answer<>(await.apply(answer), true);
    }
    CompletionStage<T> commit;
    boolean replayed = false;
    try {
      Optional<RunStore.KeyUse> use = stored.get();
      if (use.isPresent()) {
        if (!use.get().matches(key)) {
          throw new IdempotencyConflictException();
        }
        commit = CompletableFuture.completedFuture(replay.apply(use.get()));
        replayed = true;
      } else {
        commit = write.get();
      }
    } catch (RuntimeException e) {
      underWay.remove(id, mine);
      mine.answer().completeExceptionally(e);
      throw e;
    }
    commit.whenComplete(
        (answer, failure) -> {
          underWay.remove(id, mine);
          if (failure != null) {
            mine.answer().completeExceptionally(failure);
          } else {
            mine.answer().complete(answer);
          }
        });
    return new Answer<>(await.apply(commit), replayed);
  }

  /** The answer to a write, and whether it is an earlier write's (a retry's answer). */
  record Answer<T>(T value, boolean replayed) {}

  private record Call(String fingerprint, CompletableFuture<Object> answer) {}
}
