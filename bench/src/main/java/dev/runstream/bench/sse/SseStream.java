package dev.runstream.bench.sse;

import dev.runstream.bench.api.EventTypes;
import dev.runstream.bench.api.Target;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One {@code GET} of an event stream on a non-blocking socket, parsed as bytes arrive: the status
 * line and headers, a chunked, sized or close-delimited body, then SSE lines and events. It copies
 * nothing but the current line, so one {@link IoLoop} thread keeps up with tens of thousands of
 * streams. Every method runs on that thread.
 */
public final class SseStream {

  private static final int HEAD_LIMIT = 64 * 1024;
  private static final int ERROR_BODY_LIMIT = 512;

  private enum Phase {
    NEW,
    CONNECTING,
    WRITING,
    HEAD,
    BODY,
    CLOSED
  }

  private enum Body {
    NONE,
    CHUNKED,
    SIZED,
    UNTIL_CLOSE
  }

  private static final int CHUNK_SIZE = 0;
  private static final int CHUNK_EXTENSION = 1;
  private static final int CHUNK_DATA = 2;
  private static final int CHUNK_DATA_END = 3;
  private static final int CHUNK_TRAILER = 4;

  public final IoLoop loop;
  private final InetSocketAddress remote;
  private final InetAddress source;
  private final ByteBuffer request;
  private final StreamHandler handler;

  /** The scenario's own state for this stream. */
  public final Object attachment;

  private SocketChannel channel;
  private SelectionKey key;
  private Phase phase = Phase.NEW;
  private long startedMicros;

  private int status;
  private boolean statusSeen;
  private boolean eventStream;
  private boolean chunkedHeader;
  private long contentLength = -1;
  private int headBytes;
  private Body body = Body.NONE;
  private int chunkState = CHUNK_SIZE;
  private long chunkRemaining;
  private int trailerLength;
  private long bodyRemaining;
  private final StringBuilder errorBody = new StringBuilder();

  private byte[] line = new byte[256];
  private int lineLength;
  private boolean afterCr;

  private long eventId = -1;
  private int eventType = EventTypes.MISSING;
  private byte[] data = new byte[0];
  private int dataLength;
  private boolean dataSeen;

  public SseStream(
      IoLoop loop,
      Target target,
      InetAddress source,
      String path,
      String lastEventId,
      StreamHandler handler,
      Object attachment) {
    this.loop = loop;
    this.remote = target.address();
    this.source = source;
    this.handler = handler;
    this.attachment = attachment;
    String head =
        "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + target.hostHeader()
            + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n"
            + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n")
            + "\r\n";
    this.request = ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII));
  }

  /** When the connect began, in {@link Clock} microseconds. */
  public long startedMicros() {
    return startedMicros;
  }

  boolean closed() {
    return phase == Phase.CLOSED;
  }

  void open(Selector selector) {
    startedMicros = Clock.micros();
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (source != null) {
        channel.bind(new InetSocketAddress(source, 0));
      }
      if (channel.connect(remote)) {
        key = channel.register(selector, SelectionKey.OP_WRITE, this);
        phase = Phase.WRITING;
      } else {
        key = channel.register(selector, SelectionKey.OP_CONNECT, this);
        phase = Phase.CONNECTING;
      }
    } catch (IOException | RuntimeException e) {
      fail("connect: " + describe(e));
    }
  }

  /** The selector says the socket is ready. */
  void ready(ByteBuffer buffer) {
    try {
      if (phase == Phase.CONNECTING && key.isConnectable()) {
        channel.finishConnect();
        phase = Phase.WRITING;
        key.interestOps(SelectionKey.OP_WRITE);
      }
      if (phase == Phase.WRITING && key.isWritable()) {
        channel.write(request);
        if (!request.hasRemaining()) {
          phase = Phase.HEAD;
          key.interestOps(SelectionKey.OP_READ);
        }
        return;
      }
      if ((phase == Phase.HEAD || phase == Phase.BODY) && key.isReadable()) {
        read(buffer);
      }
    } catch (IOException | RuntimeException e) {
      fail((phase == Phase.CONNECTING ? "connect: " : "read: ") + describe(e));
    }
  }

  private void read(ByteBuffer buffer) throws IOException {
    for (int reads = 0; reads < 8 && phase != Phase.CLOSED; reads++) {
      buffer.clear();
      int n = channel.read(buffer);
      if (n < 0) {
        endOfInput();
        return;
      }
      if (n == 0) {
        return;
      }
      received(buffer.array(), n, Clock.micros());
    }
  }

  private void endOfInput() {
    if (phase == Phase.BODY && body == Body.UNTIL_CLOSE) {
      finish();
    } else {
      fail(phase == Phase.HEAD ? "closed before the response head" : "closed mid-stream");
    }
  }

  /** Ends the stream from the client's side. */
  void close(String why) {
    fail(why);
  }

  private void fail(String error) {
    end(error == null ? "unknown" : error);
  }

  private void finish() {
    end(null);
  }

  private void end(String error) {
    if (phase == Phase.CLOSED) {
      return;
    }
    phase = Phase.CLOSED;
    if (key != null) {
      key.cancel();
    }
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    String why = error;
    if (why == null && status != 200) {
      why = "status " + status;
    }
    if (why != null && status != 0 && status != 200 && errorBody.length() > 0) {
      why = why + " " + errorBody;
    }
    handler.onClosed(this, why);
  }

  // --- the response, byte by byte -------------------------------------------------------------

  private void received(byte[] bytes, int length, long micros) {
    int i = 0;
    while (i < length && phase != Phase.CLOSED) {
      if (phase == Phase.HEAD) {
        i = head(bytes, i, length);
      } else {
        i = body(bytes, i, length, micros);
      }
    }
  }

  private int head(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to && phase == Phase.HEAD) {
      byte b = bytes[i++];
      if (++headBytes > HEAD_LIMIT) {
        fail("response head too large");
        return to;
      }
      if (b == '\n') {
        headLine();
        lineLength = 0;
      } else if (b != '\r') {
        append(b);
      }
    }
    return i;
  }

  private void headLine() {
    String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
    if (!statusSeen) {
      statusSeen = true;
      String[] parts = text.split(" ", 3);
      status = parts.length > 1 ? parseStatus(parts[1]) : -1;
      return;
    }
    if (text.isEmpty()) {
      startBody();
      return;
    }
    int colon = text.indexOf(':');
    if (colon <= 0) {
      return;
    }
    String name = text.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
    String value = text.substring(colon + 1).trim().toLowerCase(java.util.Locale.ROOT);
    switch (name) {
      case "transfer-encoding" -> chunkedHeader = value.contains("chunked");
      case "content-length" -> contentLength = Long.parseLong(value);
      case "content-type" -> eventStream = value.startsWith("text/event-stream");
      default -> {}
    }
  }

  private static int parseStatus(String code) {
    try {
      return Integer.parseInt(code);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void startBody() {
    if (status == 100) { // an interim answer: the real head follows
      statusSeen = false;
      return;
    }
    phase = Phase.BODY;
    lineLength = 0;
    boolean ok = status == 200 && eventStream;
    handler.onHead(this, status, eventStream);
    if (phase == Phase.CLOSED) {
      return;
    }
    if (status == 204 || status == 304) {
      body = Body.NONE;
    } else if (chunkedHeader) {
      body = Body.CHUNKED;
    } else if (contentLength >= 0) {
      body = Body.SIZED;
      bodyRemaining = contentLength;
    } else {
      body = Body.UNTIL_CLOSE;
    }
    if (body == Body.NONE || (body == Body.SIZED && bodyRemaining == 0)) {
      finish();
    } else if (!ok && body == Body.UNTIL_CLOSE) {
      bodyRemaining = Long.MAX_VALUE;
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
          finish();
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
    while (i < to && phase == Phase.BODY) {
      switch (chunkState) {
        case CHUNK_SIZE -> {
          byte b = bytes[i++];
          int digit = Character.digit(b, 16);
          if (digit >= 0) {
            chunkRemaining = chunkRemaining * 16 + digit;
          } else if (b == ';' || b == ' ') {
            chunkState = CHUNK_EXTENSION;
          } else if (b == '\n') {
            chunkState = chunkRemaining == 0 ? CHUNK_TRAILER : CHUNK_DATA;
          } else if (b != '\r') {
            fail("bad chunk size");
          }
        }
        case CHUNK_EXTENSION -> {
          if (bytes[i++] == '\n') {
            chunkState = chunkRemaining == 0 ? CHUNK_TRAILER : CHUNK_DATA;
          }
        }
        case CHUNK_DATA -> {
          int n = (int) Math.min(to - i, chunkRemaining);
          content(bytes, i, i + n, micros);
          i += n;
          chunkRemaining -= n;
          if (chunkRemaining == 0) {
            chunkState = CHUNK_DATA_END;
          }
        }
        case CHUNK_DATA_END -> {
          if (bytes[i++] == '\n') {
            chunkState = CHUNK_SIZE;
          }
        }
        default -> { // trailer lines up to an empty one: the body is complete
          byte b = bytes[i++];
          if (b == '\n') {
            if (trailerLength == 0) {
              finish();
            }
            trailerLength = 0;
          } else if (b != '\r') {
            trailerLength++;
          }
        }
      }
    }
    return i;
  }

  /** Decoded body bytes: SSE lines, or the start of an error body. */
  private void content(byte[] bytes, int from, int to, long micros) {
    if (status != 200 || !eventStream) {
      int n = Math.min(to - from, ERROR_BODY_LIMIT - errorBody.length());
      if (n > 0) {
        errorBody.append(new String(bytes, from, n, StandardCharsets.UTF_8));
      }
      return;
    }
    for (int i = from; i < to && phase == Phase.BODY; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        if (afterCr) {
          afterCr = false;
        } else {
          sseLine(micros);
        }
      } else if (b == '\r') {
        afterCr = true;
        sseLine(micros);
      } else {
        afterCr = false;
        append(b);
      }
    }
  }

  private void append(byte b) {
    if (lineLength == line.length) {
      line = java.util.Arrays.copyOf(line, line.length * 2);
    }
    line[lineLength++] = b;
  }

  private void sseLine(long micros) {
    int length = lineLength;
    lineLength = 0;
    if (length == 0) {
      dispatch(micros);
      return;
    }
    if (line[0] == ':') {
      handler.onComment(this);
      return;
    }
    int colon = 0;
    while (colon < length && line[colon] != ':') {
      colon++;
    }
    int value = colon + 1;
    if (value < length && line[value] == ' ') {
      value++;
    }
    value = Math.min(value, length);
    if (is("data", colon)) {
      if (dataSeen) {
        appendData((byte) '\n');
      }
      dataSeen = true;
      for (int i = value; i < length; i++) {
        appendData(line[i]);
      }
    } else if (is("id", colon)) {
      eventId = number(value, length);
    } else if (is("event", colon)) {
      eventType = EventTypes.code(line, value, length);
    }
    // retry: and unknown fields are ignored, as the spec says
  }

  private boolean is(String field, int length) {
    if (field.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (line[i] != field.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private long number(int from, int to) {
    long n = 0;
    if (from >= to || to - from > 18) {
      return -2;
    }
    for (int i = from; i < to; i++) {
      int digit = line[i] - '0';
      if (digit < 0 || digit > 9) {
        return -2;
      }
      n = n * 10 + digit;
    }
    return n;
  }

  private void appendData(byte b) {
    if (dataLength == data.length) {
      data = java.util.Arrays.copyOf(data, Math.max(256, data.length * 2));
    }
    data[dataLength++] = b;
  }

  private void dispatch(long micros) {
    if (dataSeen) {
      handler.onEvent(this, eventId, eventType, data, dataLength, micros);
    }
    eventId = -1;
    eventType = EventTypes.MISSING;
    dataLength = 0;
    dataSeen = false;
  }

  public static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
