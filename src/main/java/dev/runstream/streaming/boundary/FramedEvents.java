package dev.runstream.streaming.boundary;

import dev.runstream.streaming.entity.SseFrame;
import dev.runstream.streaming.entity.SseFrames;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.Providers;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes an event stream's events where the container looks the writer up (Jersey: every event a
 * sink sends goes through the writer found for {@code text/event-stream}; RESTEasy uses its own).
 * An event whose data is an {@link SseFrame} is written as the frame's bytes, encoded once for
 * every subscriber of the run, and one whose data is {@link SseFrames} as those frames one after
 * the other (several events in one write and one flush, for a client that is behind); any other
 * event is framed here the way Jersey's own writer frames it. Like Jersey's, it leaves the blank
 * line that ends a frame to the sink, which writes it after every event.
 *
 * <p>Per subscriber and event, Jersey's writer looked up the data's writer through HK2, encoded the
 * JSON again through a new {@code OutputStreamWriter} and copied it byte by byte: 30 % of the
 * server's CPU at 1 000 subscribers x 50 events/s (docs/benchmarks.md).
 */
@Provider
@Produces(MediaType.SERVER_SENT_EVENTS)
public class FramedEvents implements MessageBodyWriter<OutboundSseEvent> {

  private static final Pattern EOL = Pattern.compile("\r\n|\r|\n");
  private static final byte[] COMMENT_LEAD = ascii(": ");
  private static final byte[] NAME_LEAD = ascii("event: ");
  private static final byte[] ID_LEAD = ascii("id: ");
  private static final byte[] RETRY_LEAD = ascii("retry: ");
  private static final byte[] DATA_LEAD = ascii("data: ");

  @Context Providers providers;

  @Override
  public boolean isWriteable(
      Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return OutboundSseEvent.class.isAssignableFrom(type)
        && MediaType.SERVER_SENT_EVENTS_TYPE.isCompatible(mediaType);
  }

  @Override
  public void writeTo(
      OutboundSseEvent event,
      Class<?> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, Object> headers,
      OutputStream out)
      throws IOException {
    if (event.getComment() != null) {
      for (String comment : EOL.split(event.getComment(), -1)) {
        line(out, COMMENT_LEAD, comment);
      }
    }
    if (event.getType() == null) {
      return;
    }
    if (event.getReconnectDelay() >= 0) {
      line(out, RETRY_LEAD, Long.toString(event.getReconnectDelay()));
    }
    if (event.getData() instanceof SseFrame frame) {
      frame.writeTo(out);
      return;
    }
    if (event.getData() instanceof SseFrames frames) {
      List<SseFrame> each = frames.frames();
      for (int i = 0; i < each.size(); i++) {
        if (i > 0) {
          out.write('\n'); // the blank line that ends the frame before; the sink ends the last
        }
        each.get(i).writeTo(out);
      }
      return;
    }
    if (event.getName() != null) {
      line(out, NAME_LEAD, oneLine(event.getName()));
    }
    if (event.getId() != null) {
      line(out, ID_LEAD, oneLine(event.getId()));
    }
    for (String data : EOL.split(data(event, annotations, headers), -1)) {
      line(out, DATA_LEAD, data);
    }
  }

  /** The event's data as text: a string as it is, anything else through its own writer. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private String data(
      OutboundSseEvent event, Annotation[] annotations, MultivaluedMap<String, Object> headers)
      throws IOException {
    if (event.getData() instanceof String text) {
      return text;
    }
    MediaType type =
        event.getMediaType() == null ? MediaType.TEXT_PLAIN_TYPE : event.getMediaType();
    MessageBodyWriter writer =
        providers.getMessageBodyWriter(event.getType(), event.getGenericType(), annotations, type);
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    writer.writeTo(
        event.getData(), event.getType(), event.getGenericType(), annotations, type, headers, data);
    return data.toString(StandardCharsets.UTF_8);
  }

  private static void line(OutputStream out, byte[] lead, String value) throws IOException {
    out.write(lead);
    out.write(value.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
  }

  private static String oneLine(String value) {
    return value.replace("\r", "").replace("\n", "");
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
