package dev.runstream.streaming.entity;

/**
 * How one stream behaves: the {@code retry:} hint, how many events its subscriber may fall behind
 * before it is cut, and how long one write may take.
 */
public record StreamSettings(long retryMs, long subscriberBacklog, long writeTimeoutMs) {}
