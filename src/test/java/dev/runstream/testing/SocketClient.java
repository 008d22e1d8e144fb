package dev.runstream.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An event stream over a plain socket, for clients no HTTP library would be: one that never reads
 * (its receive buffer is a few KB, so the server's writes soon block), one that resets the
 * connection instead of closing it. It can read later what did arrive.
 */
public final class SocketClient implements AutoCloseable {

  private final Socket socket;

  private SocketClient(Socket socket) {
    this.socket = socket;
  }

  /** Connects with a small receive buffer and sends the request; reads nothing. */
  public static SocketClient subscribe(URI events, String... headers) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress(events.getHost(), events.getPort()), 5000);
    StringBuilder request =
        new StringBuilder("GET ")
            .append(events.getRawPath())
            .append(events.getRawQuery() == null ? "" : "?" + events.getRawQuery())
            .append(" HTTP/1.1\r\nHost: ")
            .append(events.getHost())
            .append("\r\nAccept: text/event-stream\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    socket
        .getOutputStream()
        .write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
    return new SocketClient(socket);
  }

  /** Ends the connection with a reset (RST), not a FIN: as a client that vanished. */
  public void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /**
   * Reads the response until the server ends it (its last chunk, or the connection closed) or
   * nothing comes for {@code quiet}; returns the ids of the whole events in it, in order.
   */
  public List<Long> readEventIds(Duration quiet) throws IOException {
    socket.setSoTimeout((int) quiet.toMillis());
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[65536];
    try {
      for (int n; (n = in.read(buffer)) != -1; ) {
        raw.write(buffer, 0, n);
        if (endsWithLastChunk(raw, buffer, n)) {
          break; // a kept-alive connection stays open after the response's end
        }
      }
    } catch (SocketTimeoutException | SocketException ended) {
      // the connection was cut, or went quiet: what arrived is what counts
    }
    return ids(dechunk(raw.toString(StandardCharsets.ISO_8859_1))); // sizes count bytes
  }

  private static final byte[] LAST_CHUNK = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * Whether what arrived, {@code read} the last of it, ends with a chunked response's last chunk.
   */
  static boolean endsWithLastChunk(ByteArrayOutputStream raw, byte[] read, int n) {
    int size = LAST_CHUNK.length;
    if (n >= size) {
      return Arrays.equals(read, n - size, n, LAST_CHUNK, 0, size);
    }
    byte[] all = raw.toByteArray(); // a short read: rare
    return all.length >= size
        && Arrays.equals(all, all.length - size, all.length, LAST_CHUNK, 0, size);
  }

  /**
   * The body of a chunked HTTP/1.1 response, one char per byte (a cut-off chunk counts as far as it
   * goes).
   */
  static String dechunk(String response) {
    int at = response.indexOf("\r\n\r\n");
    if (at < 0) {
      return "";
    }
    StringBuilder body = new StringBuilder();
    at += 4;
    while (at < response.length()) {
      int end = response.indexOf("\r\n", at);
      if (end < 0) {
        break;
      }
      int size = Integer.parseInt(response.substring(at, end).strip(), 16);
      if (size == 0) {
        break;
      }
      int from = end + 2;
      body.append(response, from, Math.min(response.length(), from + size));
      at = from + size + 2;
    }
    return body.toString();
  }

  /** Ids of the events that arrived whole (ended by a blank line). */
  static List<Long> ids(String body) {
    List<Long> ids = new ArrayList<>();
    String[] frames = body.split("\n\n", -1);
    for (int i = 0; i < frames.length - 1; i++) { // the last is cut off, or empty
      frames[i]
          .lines()
          .filter(line -> line.startsWith("id:"))
          .findFirst()
          .ifPresent(line -> ids.add(Long.parseLong(line.substring(3).strip())));
    }
    return ids;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
