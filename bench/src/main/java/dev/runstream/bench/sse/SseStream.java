package dev.runstream.bench.sse;

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
 * One {@code GET} of an event stream on a non-blocking socket: it connects, writes the request, and
 * hands what it reads to a {@link ResponseReader} (the status line and headers, a chunked, sized or
 * close-delimited body, then SSE lines and events), which copies nothing but the current line, so
 * one {@link IoLoop} thread keeps up with tens of thousands of streams. Every method runs on that
 * thread.
 */
public final class SseStream {

  private enum Phase {
    NEW,
    CONNECTING,
    WRITING,
    READING,
    CLOSED
  }

  public final IoLoop loop;
  private final InetSocketAddress remote;
  private final InetAddress source;
  private final ByteBuffer request;
  private final StreamHandler handler;
  private final ResponseReader reader = new ResponseReader(new Events());

  /** The scenario's own state for this stream. */
  public final Object attachment;

  private SocketChannel channel;
  private SelectionKey key;
  private Phase phase = Phase.NEW;
  private long startedMicros;

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
      close("connect: " + describe(e));
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
          phase = Phase.READING;
          key.interestOps(SelectionKey.OP_READ);
        }
        return;
      }
      if (phase == Phase.READING && key.isReadable()) {
        read(buffer);
      }
    } catch (IOException | RuntimeException e) {
      close((phase == Phase.CONNECTING ? "connect: " : "read: ") + describe(e));
    }
  }

  private void read(ByteBuffer buffer) throws IOException {
    for (int reads = 0; reads < 8 && phase != Phase.CLOSED; reads++) {
      buffer.clear();
      int n = channel.read(buffer);
      if (n < 0) {
        reader.endOfInput();
        return;
      }
      if (n == 0) {
        return;
      }
      reader.received(buffer.array(), n, Clock.micros());
    }
  }

  /** Ends the stream from the client's side. */
  void close(String why) {
    reader.stop(why);
  }

  /** The reader's findings, handed to the scenario's handler with this stream. */
  private final class Events implements ResponseReader.Listener {
    @Override
    public void head(int status, boolean eventStream) {
      handler.onHead(SseStream.this, status, eventStream);
    }

    @Override
    public void event(long id, int type, byte[] data, int dataLength, long receivedMicros) {
      handler.onEvent(SseStream.this, id, type, data, dataLength, receivedMicros);
    }

    @Override
    public void comment() {
      handler.onComment(SseStream.this);
    }

    @Override
    public void ended(String error) {
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
      handler.onClosed(SseStream.this, error);
    }
  }

  public static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
