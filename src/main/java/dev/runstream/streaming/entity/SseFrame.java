package dev.runstream.streaming.entity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * An event as it goes on the wire, encoded once for every subscriber of its run: the {@code id},
 * {@code event} and {@code data} lines in UTF-8, without the blank line that ends the frame (the
 * container's sink writes it after each event). Its data alone is what a container that writes the
 * other lines itself asks for.
 */
public final class SseFrame {

  private static final Pattern EOL = Pattern.compile("\r\n|\r|\n");
  private static final byte[] ID_LEAD = ascii("id: ");
  private static final byte[] NAME_LEAD = ascii("event: ");
  private static final byte[] DATA_LEAD = ascii("data: ");

  private final long id;
  private final byte[] lines;
  private final byte[] data; // lines itself when the data is one line
  private final int dataOffset;
  private final int dataLength;

  private SseFrame(long id, byte[] lines, byte[] data, int dataOffset, int dataLength) {
    this.id = id;
    this.lines = lines;
    this.data = data;
    this.dataOffset = dataOffset;
    this.dataLength = dataLength;
  }

  /** The frame of event {@code id} named {@code name}; {@code data} may span lines. */
  public static SseFrame of(long id, String name, String data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length() + name.length() + 40);
    field(out, ID_LEAD, Long.toString(id));
    field(out, NAME_LEAD, oneLine(name));
    byte[] utf8 = data.getBytes(StandardCharsets.UTF_8);
    if (data.indexOf('\n') < 0 && data.indexOf('\r') < 0) {
      out.writeBytes(DATA_LEAD);
      int offset = out.size();
      out.writeBytes(utf8);
      out.write('\n');
      return new SseFrame(id, out.toByteArray(), null, offset, utf8.length);
    }
    for (String line : EOL.split(data, -1)) {
      field(out, DATA_LEAD, line);
    }
    return new SseFrame(id, out.toByteArray(), utf8, 0, utf8.length);
  }

  public long id() {
    return id;
  }

  /** Writes the frame's lines: what a reader needs but the blank line after them. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(lines);
  }

  /** Writes the data only, as the event's payload: the container writes the lines around it. */
  public void writeDataTo(OutputStream out) throws IOException {
    out.write(data == null ? lines : data, dataOffset, dataLength);
  }

  private static void field(ByteArrayOutputStream out, byte[] lead, String value) {
    out.writeBytes(lead);
    out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
  }

  private static String oneLine(String value) {
    return value.replace("\r", "").replace("\n", "");
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
