package dev.runstream.streaming.boundary;

import dev.runstream.streaming.entity.SseFrame;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * An {@link SseFrame} as an event's data, for a container that writes the event's other lines
 * itself (RESTEasy always does; see {@link FramedEvents}): its data bytes, encoded once.
 */
@Provider
public class FrameData implements MessageBodyWriter<SseFrame> {

  @Override
  public boolean isWriteable(
      Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return type == SseFrame.class;
  }

  @Override
  public void writeTo(
      SseFrame frame,
      Class<?> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, Object> headers,
      OutputStream out)
      throws IOException {
    frame.writeDataTo(out);
  }
}
