package dev.runstream.streaming.boundary;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An event stream's frames reach the container in one write each. Jersey writes an event as a dozen
 * small writes (field names, values, line ends) and then flushes; Grizzly lets only the first write
 * after {@code isReady()} through without a check, so a flush after several writes can block on a
 * client that does not read (see {@link ClientConnections}). Collected here and written at the
 * flush, a frame is one write, and the flush after it does not wait.
 */
@Provider
public class OneWritePerFrame implements WriterInterceptor {

  @Override
  public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
    if (context.getEntity() instanceof SseEventSink) {
      context.setOutputStream(new FrameBuffer(context.getOutputStream()));
    }
    context.proceed();
  }

  /** Collects what is written until the flush, then writes it in one call. */
  static final class FrameBuffer extends OutputStream {

    private static final int KEPT = 8192; // a larger buffer is dropped after its frame

    private final OutputStream out;
    private ByteArrayOutputStream frame = new ByteArrayOutputStream(256);

    FrameBuffer(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      frame.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      frame.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      if (frame.size() > 0) {
        int size = frame.size();
        frame.writeTo(out); // one write of the buffer itself, no copy
        if (size > KEPT) {
          frame = new ByteArrayOutputStream(256);
        } else {
          frame.reset();
        }
      }
      out.flush();
    }

    @Override
    public void close() throws IOException {
      try {
        flush();
      } finally {
        out.close();
      }
    }
  }
}
