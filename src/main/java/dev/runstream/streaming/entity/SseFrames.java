package dev.runstream.streaming.entity;

import java.util.List;

/**
 * Frames a stream was behind in, written as one: a client that fell behind takes them in one write
 * and one flush instead of one each.
 */
public record SseFrames(List<SseFrame> frames) {

  public SseFrames {
    frames = List.copyOf(frames);
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("no frames");
    }
  }
}
