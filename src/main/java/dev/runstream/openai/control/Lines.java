package dev.runstream.openai.control;

import dev.runstream.openai.entity.UpstreamException;
import dev.runstream.openai.entity.UpstreamFailure;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into UTF-8 lines as the bytes arrive (ended by LF or CRLF), so a line is
 * handled the moment its end is read. A line may be at most {@code longest} bytes: a server that
 * never ends its line cannot grow our memory without bound.
 */
final class Lines {

  private final int longest;
  private byte[] line = new byte[256];
  private int size;

  Lines(int longest) {
    this.longest = longest;
  }

  /** Consumes {@code bytes}, handing every line they complete to {@code sink}. */
  void feed(ByteBuffer bytes, Consumer<String> sink) {
    while (bytes.hasRemaining()) {
      byte b = bytes.get();
      if (b == '\n') {
        sink.accept(take());
      } else {
        append(b);
      }
    }
  }

  /** What is left after the last line break, when the stream has ended. */
  Optional<String> rest() {
    return size == 0 ? Optional.empty() : Optional.of(take());
  }

  private void append(byte b) {
    if (size == longest) {
      throw new UpstreamException(
          UpstreamFailure.BAD_RESPONSE,
          "The model server sent a line longer than " + longest + " bytes.");
    }
    if (size == line.length) {
      line = Arrays.copyOf(line, Math.min(longest, line.length * 2));
    }
    line[size++] = b;
  }

  private String take() {
    int end = size > 0 && line[size - 1] == '\r' ? size - 1 : size;
    String text = new String(line, 0, end, StandardCharsets.UTF_8);
    size = 0;
    return text;
  }
}
