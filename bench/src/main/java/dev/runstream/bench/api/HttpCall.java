package dev.runstream.bench.api;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A blocking HTTP/1.1 client on one kept-alive socket, for the calls that are not streams: creating
 * runs and publishing events. Minimal on purpose: it measures the server, not a client library.
 * Reconnects once if the server closed the idle connection. Not thread-safe: one per thread.
 */
public final class HttpCall implements AutoCloseable {

  /** An answer: its status, its body, and its {@code Retry-After} header (null without one). */
  public record Response(int status, String body, String retryAfter) {}

  private final Target target;
  private final int timeoutMs;
  private final InetAddress source;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private long writtenNanos;

  public HttpCall(Target target, int timeoutMs) {
    this(target, timeoutMs, null);
  }

  /** A connection from {@code source} (a loopback address, say), or from any when null. */
  public HttpCall(Target target, int timeoutMs, InetAddress source) {
    this.target = target;
    this.timeoutMs = timeoutMs;
    this.source = source;
  }

  /** When the last request was written ({@link System#nanoTime()}, just before the write). */
  public long writtenNanos() {
    return writtenNanos;
  }

  public Response get(String path) throws IOException {
    return exchange("GET", path, null);
  }

  public Response post(String path, String json) throws IOException {
    return exchange("POST", path, json);
  }

  public Response delete(String path) throws IOException {
    return exchange("DELETE", path, null);
  }

  private Response exchange(String method, String path, String json) throws IOException {
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.1\r\nHost: ")
            .append(target.hostHeader())
            .append("\r\nAccept: application/json\r\n");
    if (json != null) {
      head.append("Content-Type: application/json\r\nContent-Length: ")
          .append(body.length)
          .append("\r\n");
    }
    head.append("\r\n");
    byte[] request = head.toString().getBytes(StandardCharsets.US_ASCII);
    boolean reused = socket != null;
    try {
      return send(request, body);
    } catch (IOException e) {
      close();
      if (!reused) {
        throw e;
      }
      return send(request, body); // the server may have closed a kept-alive connection
    }
  }

  private Response send(byte[] head, byte[] body) throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(timeoutMs);
      if (source != null) {
        socket.bind(new InetSocketAddress(source, 0));
      }
      socket.connect(target.address(), timeoutMs);
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      out = socket.getOutputStream();
    }
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    writtenNanos = System.nanoTime();
    out.write(all);
    out.flush();
    return read();
  }

  private Response read() throws IOException {
    String statusLine = line();
    while (statusLine.startsWith("HTTP/1.1 100")) {
      while (!line().isEmpty()) {
        // skip the interim answer's headers
      }
      statusLine = line();
    }
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2) {
      throw new IOException("bad status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    String retryAfter = null;
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.contains("chunked");
        case "connection" -> close = value.contains("close");
        case "retry-after" -> retryAfter = value;
        default -> {}
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (status == 204 || status == 304) {
      // no body
    } else if (chunked) {
      for (long size = chunkSize(); size > 0; size = chunkSize()) {
        copy(body, size);
        line();
      }
      while (!line().isEmpty()) {
        // trailers
      }
    } else if (length >= 0) {
      copy(body, length);
    } else {
      in.transferTo(body);
      close = true;
    }
    if (close) {
      close();
    }
    return new Response(status, body.toString(StandardCharsets.UTF_8), retryAfter);
  }

  private long chunkSize() throws IOException {
    String size = line();
    int semicolon = size.indexOf(';');
    return Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
  }

  private void copy(ByteArrayOutputStream body, long length) throws IOException {
    byte[] buffer = new byte[8192];
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException("connection closed in a body");
      }
      body.write(buffer, 0, n);
      left -= n;
    }
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    socket = null;
  }
}
