package dev.runstream.streaming.entity;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How one stream behaves: the {@code retry:} hint and its spread, how many events its subscriber
 * may fall behind before it is cut, and how long one write may take.
 */
public record StreamSettings(
    long retryMs, long retryJitterMs, long subscriberBacklog, long writeTimeoutMs) {

  public StreamSettings {
    if (retryMs < 0 || retryJitterMs < 0) {
      throw new IllegalArgumentException(
          "chat.stream.retry-ms and chat.stream.retry-jitter-ms must not be negative");
    }
  }

  /**
   * The {@code retry:} hint of one stream: the retry time plus a share of the jitter drawn for this
   * stream, so clients cut at the same moment (a restart, a drain) do not all come back in the same
   * millisecond.
   */
  public long retryHintMs() {
    return retryMs + ThreadLocalRandom.current().nextLong(retryJitterMs + 1);
  }
}
