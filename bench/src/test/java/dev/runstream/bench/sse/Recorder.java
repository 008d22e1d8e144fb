package dev.runstream.bench.sse;

import dev.runstream.bench.api.EventTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Writes down what a {@link ResponseReader} reports, one line per call, in order. */
final class Recorder implements ResponseReader.Listener {

  final List<String> log = new ArrayList<>();
  final List<Long> eventMicros = new ArrayList<>();
  private ResponseReader reader;
  private Predicate<String> stopWhen = line -> false;

  /** A reader that reports here. */
  ResponseReader reader() {
    reader = new ResponseReader(this);
    return reader;
  }

  /** Stops the reader from inside the first call whose line matches, as a handler may. */
  Recorder stopWhen(Predicate<String> line) {
    stopWhen = line;
    return this;
  }

  List<String> events() {
    return log.stream().filter(l -> l.startsWith("event ")).toList();
  }

  /** The last line: how the response ended. */
  String ending() {
    return log.isEmpty() ? "nothing" : log.get(log.size() - 1);
  }

  @Override
  public void head(int status, boolean eventStream) {
    add("head " + status + (eventStream ? " event-stream" : ""));
  }

  @Override
  public void event(long id, int type, byte[] data, int dataLength, long receivedMicros) {
    eventMicros.add(receivedMicros);
    add(event(id, EventTypes.name(type), new String(data, 0, dataLength, StandardCharsets.UTF_8)));
  }

  @Override
  public void comment() {
    add("comment");
  }

  @Override
  public void ended(String error) {
    add(error == null ? "ended clean" : "ended: " + error);
  }

  /** The line {@link #event(long, int, byte[], int, long)} writes. */
  static String event(long id, String type, String data) {
    return "event " + id + " " + type + " " + data;
  }

  private void add(String line) {
    log.add(line);
    if (stopWhen.test(line)) {
      reader.stop("stopped by the handler");
    }
  }
}
