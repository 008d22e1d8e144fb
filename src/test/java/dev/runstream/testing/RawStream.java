package dev.runstream.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An event stream read line by line with the JDK's HTTP client, to check the wire format itself:
 * the {@code retry:} line, comments, field order, headers, and the end of the stream.
 */
public final class RawStream implements AutoCloseable {

  /** One client for all: HTTP/1.1 (as browsers speak to a plain-HTTP server), a connection each. */
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** Put in the queue when the server ends the stream. */
  public static final String END = "\u0000end";

  private final URI uri;
  private final Map<String, String> headers;
  private final HttpResponse.ResponseInfo response;
  private final BlockingQueue<String> lines;
  private final Lines subscriber;

  private RawStream(
      URI uri,
      Map<String, String> headers,
      HttpResponse.ResponseInfo response,
      BlockingQueue<String> lines,
      Lines sub) {
    this.uri = uri;
    this.headers = headers;
    this.response = response;
    this.lines = lines;
    this.subscriber = sub;
  }

  public static RawStream open(URI uri, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
    headers.forEach(request::header);
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Lines subscriber = new Lines(lines);
    // The handler is called when the headers arrive; the response future itself would complete
    // only at the end of the body, which an open stream never reaches.
    CompletableFuture<HttpResponse.ResponseInfo> head = new CompletableFuture<>();
    CLIENT.sendAsync(
        request.build(),
        info -> {
          head.complete(info);
          return HttpResponse.BodySubscribers.fromLineSubscriber(subscriber);
        });
    return new RawStream(
        uri, Map.copyOf(headers), head.get(10, TimeUnit.SECONDS), lines, subscriber);
  }

  /** The id of the last event whose id line has arrived (read or not yet). */
  public long lastIdSeen() {
    return subscriber.lastId;
  }

  public int status() {
    return response.statusCode();
  }

  public Optional<String> header(String name) {
    return response.headers().firstValue(name);
  }

  /** The next line, or {@link #END}; fails if none comes within {@code timeout}. */
  public String nextLine(Duration timeout) throws InterruptedException {
    String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(line, "no line within " + timeout);
    return line;
  }

  /** The lines of the next frame (up to a blank line), or [END] when the stream ends. */
  public List<String> nextFrame(Duration timeout) throws InterruptedException {
    List<String> frame = new ArrayList<>();
    String first = nextLine(timeout);
    while (first.isEmpty()) { // blank lines between frames dispatch nothing
      first = nextLine(timeout);
    }
    for (String line = first; !line.isEmpty(); line = nextLine(timeout)) {
      frame.add(line);
      if (line.equals(END)) {
        break;
      }
    }
    return frame;
  }

  /** The events of the stream (comments skipped) until the terminal one. */
  public List<Received> eventsUntilEnd(Duration timeout) throws InterruptedException {
    List<Received> events = new ArrayList<>();
    while (events.isEmpty() || !events.get(events.size() - 1).terminal()) {
      List<String> frame = nextFrame(timeout);
      if (frame.equals(List.of(END))) {
        throw new AssertionError("the stream ended before its terminal event: " + events);
      }
      event(frame).ifPresent(events::add);
    }
    return events;
  }

  /**
   * The events until the terminal one, read as a browser's {@code EventSource} reads them: when the
   * server ends the stream before it (it cuts a subscriber that falls too far behind), this reopens
   * the stream with {@code Last-Event-ID} of the last event received and reads on. Every event
   * received, in order, whatever the reconnections; {@code reconnections} counts them.
   */
  public List<Received> eventsUntilEndReconnecting(Duration timeout, AtomicInteger reconnections)
      throws Exception {
    List<Received> events = new ArrayList<>();
    RawStream stream = this;
    try {
      while (events.isEmpty() || !events.get(events.size() - 1).terminal()) {
        List<String> frame = stream.nextFrame(timeout);
        if (frame.equals(List.of(END))) {
          if (stream != this) {
            stream.close();
          }
          Map<String, String> resume = new HashMap<>(headers);
          if (!events.isEmpty()) {
            resume.put("Last-Event-ID", Long.toString(events.get(events.size() - 1).id()));
          }
          stream = open(uri, resume);
          assertEquals(200, stream.status(), "a reconnection is served");
          reconnections.incrementAndGet();
        } else {
          event(frame).ifPresent(events::add);
        }
      }
      return events;
    } finally {
      if (stream != this) {
        stream.close();
      }
    }
  }

  /** The next {@code count} events, comments skipped. */
  public List<Received> events(int count, Duration timeout) throws InterruptedException {
    List<Received> events = new ArrayList<>();
    while (events.size() < count) {
      event(nextFrame(timeout)).ifPresent(events::add);
    }
    return events;
  }

  /** The fields of a frame ({@code name: value} lines; a comment has the empty name). */
  public static Map<String, String> fields(List<String> frame) {
    Map<String, String> fields = new HashMap<>();
    for (String line : frame) {
      int colon = line.indexOf(':');
      if (colon >= 0) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).stripLeading());
      }
    }
    return fields;
  }

  /** The event a frame carries, if it is one (not a comment, not the end). */
  public static Optional<Received> event(List<String> frame) {
    Map<String, String> fields = fields(frame);
    if (!fields.containsKey("id")) {
      return Optional.empty();
    }
    return Optional.of(
        new Received(
            Long.parseLong(fields.get("id")), fields.get("event"), Api.parse(fields.get("data"))));
  }

  @Override
  public void close() {
    subscriber.cancel(); // closes the connection
  }

  private static final class Lines implements Flow.Subscriber<String> {
    private final BlockingQueue<String> lines;
    private volatile Flow.Subscription subscription;
    private volatile long lastId;

    Lines(BlockingQueue<String> lines) {
      this.lines = lines;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (line.startsWith("id:")) {
        lastId = Long.parseLong(line.substring(3).strip());
      }
      lines.add(line);
    }

    @Override
    public void onError(Throwable throwable) {
      lines.add(END);
    }

    @Override
    public void onComplete() {
      lines.add(END);
    }

    void cancel() {
      if (subscription != null) {
        subscription.cancel();
      }
    }
  }
}
