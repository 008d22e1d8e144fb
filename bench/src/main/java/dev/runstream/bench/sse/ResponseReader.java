package dev.runstream.bench.sse;

import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 response to an event-stream {@code GET}, parsed as its bytes arrive in reads of any
 * size: the {@link ResponseHead}, then a body framed as the head says (none, {@link ChunkedBody
 * chunked}, sized by {@code Content-Length}, or up to the server's close), whose bytes go to the
 * {@link SseParser} when the answer is a {@code 200 text/event-stream}, else to a short error body.
 * It ends once, cleanly or with what was wrong, and reads nothing after that.
 */
final class ResponseReader {

  private static final int ERROR_BODY_LIMIT = 512;

  /** What the reader finds, in order; any call may {@link #stop} it. */
  interface Listener extends SseParser.Listener {
    /** The head arrived: the status, and whether the body is {@code text/event-stream}. */
    void head(int status, boolean eventStream);

    /**
     * The response ended: {@code error} as {@link ResponseReader#outcome} words it, null if clean.
     */
    void ended(String error);
  }

  private enum Body {
    NONE,
    CHUNKED,
    SIZED,
    UNTIL_CLOSE
  }

  private final Listener listener;
  private final ResponseHead head = new ResponseHead();
  private final SseParser sse;
  private final StringBuilder errorBody = new StringBuilder();
  private ChunkedBody chunks;
  private Body body; // null while the head is read
  private long bodyRemaining;
  private boolean over;

  ResponseReader(Listener listener) {
    this.listener = listener;
    this.sse = new SseParser(listener);
  }

  /** The response has ended (or was stopped): nothing more is read. */
  boolean over() {
    return over;
  }

  /** {@code length} bytes of {@code bytes}, from its start, read at {@code micros}. */
  void received(byte[] bytes, int length, long micros) {
    int i = 0;
    while (i < length && !over) {
      i = body == null ? head(bytes, i, length) : body(bytes, i, length, micros);
    }
  }

  /** The server closed the connection: the end of a close-delimited body, else an error. */
  void endOfInput() {
    if (body == Body.UNTIL_CLOSE) {
      end(null);
    } else {
      end(body == null ? "closed before the response head" : "closed mid-stream");
    }
  }

  /** Ends the response from outside (a socket error, the client closing): {@code why}. */
  void stop(String why) {
    end(why == null ? "unknown" : why);
  }

  /**
   * What a stream's end reports: {@code error}, else "status N" for an answer other than 200,
   * followed by the start of the error body the server sent with it.
   */
  String outcome(String error) {
    int status = head.status();
    String why = error;
    if (why == null && status != 200) {
      why = "status " + status;
    }
    if (why != null && status != 0 && status != 200 && errorBody.length() > 0) {
      why = why + " " + errorBody;
    }
    return why;
  }

  private void end(String error) {
    if (over) {
      return;
    }
    over = true;
    listener.ended(outcome(error));
  }

  private int head(byte[] bytes, int from, int to) {
    int i = head.read(bytes, from, to);
    if (head.tooLarge()) {
      end("response head too large");
    } else if (head.complete()) {
      startBody();
    }
    return i;
  }

  private void startBody() {
    listener.head(head.status(), head.eventStream());
    if (over) {
      body = Body.NONE;
      return;
    }
    int status = head.status();
    if (status == 204 || status == 304) {
      body = Body.NONE;
    } else if (head.chunked()) {
      body = Body.CHUNKED;
      chunks = new ChunkedBody();
    } else if (head.contentLength() >= 0) {
      body = Body.SIZED;
      bodyRemaining = head.contentLength();
    } else {
      body = Body.UNTIL_CLOSE;
    }
    if (body == Body.NONE || (body == Body.SIZED && bodyRemaining == 0)) {
      end(null);
    }
  }

  private int body(byte[] bytes, int from, int to, long micros) {
    switch (body) {
      case CHUNKED -> {
        return chunked(bytes, from, to, micros);
      }
      case SIZED -> {
        int n = (int) Math.min(to - from, bodyRemaining);
        content(bytes, from, from + n, micros);
        bodyRemaining -= n;
        if (bodyRemaining == 0) {
          end(null);
        }
        return from + n;
      }
      default -> {
        content(bytes, from, to, micros);
        return to;
      }
    }
  }

  private int chunked(byte[] bytes, int from, int to, long micros) {
    int i = from;
    while (i < to && !over) {
      if (chunks.inData()) {
        int n = chunks.take(to - i);
        content(bytes, i, i + n, micros);
        i += n;
      } else {
        i = chunks.skipFraming(bytes, i, to);
        if (chunks.bad()) {
          end("bad chunk size");
        } else if (chunks.done()) {
          end(null);
        }
      }
    }
    return i;
  }

  /** Decoded body bytes: SSE lines, or the start of an error body. */
  private void content(byte[] bytes, int from, int to, long micros) {
    if (head.status() != 200 || !head.eventStream()) {
      int n = Math.min(to - from, ERROR_BODY_LIMIT - errorBody.length());
      if (n > 0) {
        errorBody.append(new String(bytes, from, n, StandardCharsets.UTF_8));
      }
      return;
    }
    for (int i = from; i < to && !over; ) {
      i = sse.feed(bytes, i, to, micros);
    }
  }
}
