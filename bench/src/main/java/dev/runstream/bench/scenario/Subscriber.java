package dev.runstream.bench.scenario;

/** One subscriber of a fan-out run, as its stream saw it; written only on the stream's loop. */
final class Subscriber {

  /** Why the client closes a stream the server has not ended by the drain deadline. */
  static final String LEFT_OPEN = "still open after the drain";

  final EventIds ids = new EventIds();
  long received;
  boolean first;
  boolean done;
  String error;

  /** The response's status, 0 before its head. */
  int status;

  /** When its last event arrived ({@link dev.runstream.bench.sse.Clock} microseconds), 0: none. */
  long lastEventMicros;

  /**
   * Whether the stream went silent: the server answered 200, then sent no event from {@code
   * sinceMicros} (the terminal event's post) and did not end it, so the client closed it at the
   * drain deadline.
   */
  boolean silentSince(long sinceMicros) {
    return status == 200 && LEFT_OPEN.equals(error) && lastEventMicros < sinceMicros;
  }
}
