package dev.runstream.bench.scenario;

import dev.runstream.bench.api.EventTypes;
import dev.runstream.bench.api.Wire;
import dev.runstream.bench.sse.SseStream;
import dev.runstream.bench.sse.StreamHandler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/**
 * The streams that read ended runs' histories back, each stream's attachment its run's {@link
 * AckCheck}; a stream gives its permit back and counts down when it ends.
 */
final class HistoryCheck implements StreamHandler {

  final CountDownLatch finished;
  final Semaphore open;

  HistoryCheck(int streams, Semaphore open) {
    this.finished = new CountDownLatch(streams);
    this.open = open;
  }

  @Override
  public void onEvent(SseStream stream, long id, int type, byte[] data, int length, long micros) {
    long seq = type == EventTypes.TICK ? Wire.number(data, length, Wire.SEQ) : -1;
    ((AckCheck) stream.attachment).streamed(id, type, seq);
  }

  @Override
  public void onClosed(SseStream stream, String error) {
    ((AckCheck) stream.attachment).ended(error);
    open.release();
    finished.countDown();
  }
}
