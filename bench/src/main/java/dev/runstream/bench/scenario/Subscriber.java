package dev.runstream.bench.scenario;

/** One subscriber of a fan-out run, as its stream saw it; written only on the stream's loop. */
final class Subscriber {
  final EventIds ids = new EventIds();
  long received;
  boolean first;
  boolean done;
  String error;
}
