package dev.runstream.bench.sse;

import dev.runstream.bench.api.EventTypes;

/** What a scenario does with one event stream; called on the stream's {@link IoLoop} thread. */
public interface StreamHandler {

  /** The response head arrived: status, and whether it is {@code text/event-stream}. */
  default void onHead(SseStream stream, int status, boolean eventStream) {}

  /**
   * One SSE event. {@code id} is -1 without an {@code id:} field; {@code type} is a {@link
   * EventTypes} code; {@code data} holds {@code dataLength} bytes (the lines joined by LF).
   */
  void onEvent(
      SseStream stream, long id, int type, byte[] data, int dataLength, long receivedMicros);

  /** A comment line ({@code : ping}, the opening {@code :}). */
  default void onComment(SseStream stream) {}

  /**
   * The stream ended: {@code error} is null when the server ended the body cleanly, else what went
   * wrong (a connect failure, a reset, a status other than 200, a timeout, the client closing).
   */
  void onClosed(SseStream stream, String error);
}
