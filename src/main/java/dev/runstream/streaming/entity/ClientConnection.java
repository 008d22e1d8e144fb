package dev.runstream.streaming.entity;

import java.util.function.BooleanSupplier;

/**
 * What the container lets a stream know of its client's connection: whether a write would complete
 * without waiting on the client, and how many frames one write may carry (more than one only where
 * the container writes events through the application's writer, see {@code FramedEvents}).
 */
public record ClientConnection(BooleanSupplier writable, int framesPerWrite) {

  public ClientConnection {
    if (framesPerWrite < 1) {
      throw new IllegalArgumentException("a write carries at least one frame");
    }
  }
}
