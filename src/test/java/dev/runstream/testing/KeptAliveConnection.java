package dev.runstream.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.1 connection that carries request after request, as browsers and HTTP libraries keep
 * them, each answer read strictly by its framing: what the server sends past an answer's end is the
 * next answer's start, so an answer sent twice, or a request read wrongly, shows as a status line
 * that is not one. It sends a body after its header, in a second write, as HTTP libraries do.
 */
public final class KeptAliveConnection implements AutoCloseable {

  /** One answer: its status line, its header fields, its body. */
  public record Answer(String statusLine, String head, String body, boolean closes) {

    /** Its status code, or -1 when its first line is no status line. */
    public int status() {
      String[] parts = statusLine.split(" ", 3);
      return parts.length >= 2 && parts[0].equals("HTTP/1.1") && parts[1].matches("[1-5][0-9][0-9]")
          ? Integer.parseInt(parts[1])
          : -1;
    }
  }

  private final URL base;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public KeptAliveConnection(URL base, Duration timeout) throws IOException {
    this.base = base;
    this.socket = new Socket(base.getHost(), base.getPort());
    socket.setTcpNoDelay(true);
    socket.setSoTimeout((int) timeout.toMillis());
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Posts a JSON body to {@code path} (under the base URL), its header first, then its body. */
  public Answer post(String path, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST "
            + base.getPath()
            + path
            + " HTTP/1.1\r\nHost: "
            + base.getHost()
            + ":"
            + base.getPort()
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    out.write(body);
    out.flush();
    return read();
  }

  private Answer read() throws IOException {
    String statusLine = line();
    StringBuilder head = new StringBuilder();
    long length = -1;
    boolean chunked = false;
    boolean closes = false;
    if (!statusLine.startsWith("HTTP/1.1 ")) {
      return new Answer(statusLine, "", "", true); // not an answer's start: read no further
    }
    for (String field; !(field = line()).isEmpty(); ) {
      head.append(field).append("\r\n");
      String lower = field.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring("content-length:".length()).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        closes = true;
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      for (long size; (size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; ) {
        body.write(in.readNBytes((int) size));
        line();
      }
      while (!line().isEmpty()) {
        // trailer fields
      }
    } else if (length > 0) {
      body.write(in.readNBytes((int) length));
    }
    return new Answer(statusLine, head.toString(), body.toString(StandardCharsets.UTF_8), closes);
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b == -1) {
        throw new EOFException("the connection ended; read so far: " + line);
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.UTF_8);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
