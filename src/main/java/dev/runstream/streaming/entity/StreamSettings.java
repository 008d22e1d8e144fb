package dev.runstream.streaming.entity;

/**
 * How streams behave: the {@code retry:} hint, the heartbeat interval, how many events a subscriber
 * may fall behind before it is cut, and how long one write may take.
 */
public record StreamSettings(
    long retryMs, long heartbeatSeconds, long subscriberBacklog, long writeTimeoutMs) {}
