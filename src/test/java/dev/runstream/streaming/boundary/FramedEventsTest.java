package dev.runstream.streaming.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.streaming.entity.SseFrame;
import dev.runstream.streaming.entity.SseFrames;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.glassfish.jersey.media.sse.OutboundEvent;
import org.junit.jupiter.api.Test;

class FramedEventsTest {

  private final FramedEvents writer = new FramedEvents();

  @Test
  void writesEventsOfAnEventStreamOnly() {
    assertTrue(
        writer.isWriteable(
            OutboundEvent.class, null, new Annotation[0], MediaType.SERVER_SENT_EVENTS_TYPE));
    assertFalse(
        writer.isWriteable(
            OutboundEvent.class, null, new Annotation[0], MediaType.APPLICATION_JSON_TYPE));
    assertFalse(
        writer.isWriteable(
            String.class, null, new Annotation[0], MediaType.SERVER_SENT_EVENTS_TYPE));
  }

  @Test
  void anEventWithAFrameIsTheFrameAfterItsRetryHint() throws IOException {
    SseFrame frame = SseFrame.of(7, "run.created", "{\"id\":\"r\"}");
    OutboundSseEvent event =
        new OutboundEvent.Builder()
            .id("7")
            .name("run.created")
            .reconnectDelay(3200)
            .data(SseFrame.class, frame)
            .build();
    assertEquals("retry: 3200\nid: 7\nevent: run.created\ndata: {\"id\":\"r\"}\n", written(event));
  }

  @Test
  void framesAClientIsBehindInGoAsOneEachEndedButTheLastWhoseEndTheSinkWrites() throws IOException {
    SseFrames frames =
        new SseFrames(
            List.of(
                SseFrame.of(4, "token.delta", "{\"d\":\"a\"}"),
                SseFrame.of(5, "token.delta", "{\"d\":\"b\"}"),
                SseFrame.of(6, "run.completed", "{}")));
    OutboundSseEvent event =
        new OutboundEvent.Builder()
            .id("6")
            .name("run.completed")
            .data(SseFrames.class, frames)
            .build();
    assertEquals(
        "id: 4\nevent: token.delta\ndata: {\"d\":\"a\"}\n\n"
            + "id: 5\nevent: token.delta\ndata: {\"d\":\"b\"}\n\n"
            + "id: 6\nevent: run.completed\ndata: {}\n",
        written(event));
  }

  @Test
  void anEventWithTextIsFramedAsJerseyFramesIt() throws IOException {
    OutboundSseEvent event =
        new OutboundEvent.Builder().id("3").name("note").data(String.class, "a\nb").build();
    assertEquals("event: note\nid: 3\ndata: a\ndata: b\n", written(event));
  }

  @Test
  void aCommentIsItsLinesAlone() throws IOException {
    assertEquals(": ping\n", written(new OutboundEvent.Builder().comment("ping").build()));
    assertEquals(": \n", written(new OutboundEvent.Builder().comment("").build()));
  }

  private String written(OutboundSseEvent event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.writeTo(
        event,
        event.getClass(),
        event.getClass(),
        new Annotation[0],
        MediaType.SERVER_SENT_EVENTS_TYPE,
        null,
        out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
