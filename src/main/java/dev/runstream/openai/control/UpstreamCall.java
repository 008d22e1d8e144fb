package dev.runstream.openai.control;

import dev.runstream.openai.entity.Chunk;
import dev.runstream.openai.entity.UpstreamException;
import dev.runstream.openai.entity.UpstreamFailure;
import dev.runstream.runs.entity.Run;
import dev.runstream.runs.entity.RunEndedException;
import dev.runstream.runs.entity.RunError;
import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * One run's streaming call to the model server. The response body is read as it arrives (the client
 * hands over bytes as the socket yields them) and each content delta is appended to the run at
 * once. It settles once: completed, failed, or aborted when the run ends some other way
 * (cancelled); aborting cancels the body's subscription and the exchange, which closes the
 * connection, so the server stops generating.
 */
final class UpstreamCall implements Flow.Subscriber<List<ByteBuffer>> {

  private static final Logger LOG = Logger.getLogger(UpstreamCall.class.getName());

  /** Longest line or event accepted from the server; chunks are a few hundred bytes. */
  static final int LONGEST = 1 << 20;

  private final Run run;
  private final HttpClient client;
  private final HttpRequest request;
  private final Silence silence;
  private final AtomicBoolean settled = new AtomicBoolean();

  // Touched only by the body's callbacks, which the client calls one at a time.
  private final Lines lines = new Lines(LONGEST);
  private final EventData events = new EventData(LONGEST);
  private final StringBuilder content = new StringBuilder();
  private String finishReason;
  private JsonObject usage;

  private volatile Flow.Subscription subscription;
  private volatile CompletableFuture<?> exchange;

  UpstreamCall(
      Run run,
      HttpClient client,
      HttpRequest request,
      Duration readTimeout,
      ScheduledExecutorService scheduler) {
    this.run = run;
    this.client = client;
    this.request = request;
    this.silence =
        new Silence(
            readTimeout,
            scheduler,
            () ->
                fail(
                    UpstreamFailure.TIMEOUT.because(
                        "The model server sent nothing for " + readTimeout.toMillis() + " ms."),
                    null));
  }

  /** Sends the request and returns; the rest happens on the client's (managed) threads. */
  void begin() {
    run.ended().thenRun(this::abort);
    try {
      run.start();
    } catch (RunEndedException cancelledAlready) {
      return;
    }
    silence.start();
    CompletableFuture<?> sent = client.sendAsync(request, this::onHeaders);
    exchange = sent;
    // Async, on the client's own (managed) executor: the JDK completes this future on its common
    // pool, which on a small machine is a new unmanaged thread per task.
    sent.whenCompleteAsync(
        (response, thrown) -> {
          if (thrown != null) {
            fail(UpstreamFailures.forThrowable(thrown), thrown);
          }
        },
        client.executor().orElseThrow());
    if (settled.get()) {
      sent.cancel(true); // the run ended while the request was being sent
    }
  }

  /** Stops reading and drops the connection; the run is left as it is. Idempotent. */
  void abort() {
    settled.set(true);
    silence.stop();
    Flow.Subscription body = subscription;
    if (body != null) {
      body.cancel();
    }
    Future<?> sent = exchange;
    if (sent != null) {
      sent.cancel(true); // the client's future: cancelling it aborts the exchange
    }
  }

  private HttpResponse.BodySubscriber<Void> onHeaders(HttpResponse.ResponseInfo response) {
    silence.heard();
    int status = response.statusCode();
    LOG.fine(() -> "openai run " + run.id() + ": the model server answered HTTP " + status);
    if (status < 200 || status > 299) {
      fail(UpstreamFailures.forStatus(status), null);
      return HttpResponse.BodySubscribers.discarding();
    }
    String type = response.headers().firstValue("Content-Type").orElse("text/event-stream");
    if (!type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
      fail(
          UpstreamFailure.BAD_RESPONSE.because(
              "The model server did not answer with an event stream."),
          null);
      return HttpResponse.BodySubscribers.discarding();
    }
    return HttpResponse.BodySubscribers.fromSubscriber(this);
  }

  @Override
  public void onSubscribe(Flow.Subscription body) {
    subscription = body;
    if (settled.get()) {
      body.cancel();
    } else {
      body.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    silence.heard();
    try {
      for (ByteBuffer bytes : buffers) {
        if (settled.get()) {
          return;
        }
        lines.feed(bytes, this::line);
      }
    } catch (UpstreamException e) {
      fail(e.error(), null);
    } catch (RunEndedException e) {
      abort(); // cancelled, or the run hit its event limit
    }
  }

  @Override
  public void onError(Throwable thrown) {
    fail(UpstreamFailures.forThrowable(thrown), thrown);
  }

  @Override
  public void onComplete() {
    if (settled.get()) {
      return;
    }
    try {
      lines.rest().ifPresent(this::line);
      events.end().ifPresent(this::data);
      if (finishReason != null) {
        complete(); // a server that ends after its last chunk without [DONE]
      } else {
        fail(
            UpstreamFailure.BAD_RESPONSE.because(
                "The model server ended its stream before the reply was finished."),
            null);
      }
    } catch (UpstreamException e) {
      fail(e.error(), null);
    } catch (RunEndedException e) {
      abort();
    }
  }

  private void line(String line) {
    events.line(line).ifPresent(this::data);
  }

  private void data(String data) {
    if (settled.get()) {
      return;
    }
    if (data.equals("[DONE]")) {
      complete();
      return;
    }
    Chunk chunk = Chunks.parse(data);
    if (!chunk.content().isEmpty()) {
      run.appendDelta(chunk.content());
      content.append(chunk.content());
    }
    if (chunk.finishReason() != null) {
      finishReason = chunk.finishReason();
    }
    if (chunk.usage() != null) {
      usage = chunk.usage();
    }
  }

  private void complete() {
    if (settled.compareAndSet(false, true)) {
      LOG.fine(() -> "openai run " + run.id() + " completed: " + finishReason + ", " + usage);
      try {
        run.completeMessage(content.toString());
        run.complete(finishReason, usage);
      } catch (RunEndedException cancelled) {
        // Cancelled a moment before the end.
      }
    }
    abort();
  }

  private void fail(RunError error, Throwable thrown) {
    if (settled.compareAndSet(false, true)) {
      // The code and the exception's type only: messages may name hosts, never the key, but the
      // upstream's own words stay out of the log as they stay out of the run.
      LOG.info(
          () ->
              "openai run "
                  + run.id()
                  + " failed: "
                  + error.code()
                  + (thrown == null ? "" : " (" + thrown.getClass().getName() + ")"));
      try {
        run.fail(error);
      } catch (RunEndedException cancelled) {
        // It ended meanwhile.
      }
    }
    abort();
  }
}
