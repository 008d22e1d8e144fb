package dev.runstream.bench.sse;

/** Responses as a server writes them: a head, then a body framed one way or another. */
final class Responses {

  static final String EVENT_STREAM = "Content-Type: text/event-stream\r\n";

  private Responses() {}

  /** {@code 200 text/event-stream}, chunked, one chunk per argument, then the last chunk. */
  static String chunked(String... chunks) {
    StringBuilder out =
        new StringBuilder(
            "HTTP/1.1 200 OK\r\n" + EVENT_STREAM + "Transfer-Encoding: chunked\r\n\r\n");
    for (String chunk : chunks) {
      out.append(chunkOf(chunk));
    }
    return out.append("0\r\n\r\n").toString();
  }

  /** One chunk: its size in hex, CRLF, the data, CRLF. */
  static String chunkOf(String data) {
    return Integer.toHexString(Reads.ascii(data).length) + "\r\n" + data + "\r\n";
  }

  /** {@code 200 text/event-stream} with a {@code Content-Length}. */
  static String sized(String body) {
    return "HTTP/1.1 200 OK\r\n"
        + EVENT_STREAM
        + "Content-Length: "
        + Reads.ascii(body).length
        + "\r\n\r\n"
        + body;
  }

  /** {@code 200 text/event-stream} whose body ends when the server closes. */
  static String untilClose(String body) {
    return "HTTP/1.1 200 OK\r\n" + EVENT_STREAM + "Connection: close\r\n\r\n" + body;
  }
}
