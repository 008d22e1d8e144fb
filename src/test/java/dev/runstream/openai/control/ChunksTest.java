package dev.runstream.openai.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runstream.openai.entity.Chunk;
import dev.runstream.openai.entity.UpstreamException;
import org.junit.jupiter.api.Test;

class ChunksTest {

  private static final String HEAD =
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",";

  @Test
  void aContentDeltaIsRead() {
    Chunk chunk =
        Chunks.parse(
            HEAD
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},"
                + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}");
    assertEquals(new Chunk("Hel", null, null), chunk);
  }

  @Test
  void theRoleOnlyFirstChunkHasNoContent() {
    Chunk chunk =
        Chunks.parse(
            HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},\"x\":1}]}");
    assertEquals(new Chunk("", null, null), chunk);
  }

  @Test
  void theLastChunksBringFinishReasonAndUsage() {
    assertEquals(
        "stop",
        Chunks.parse(HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}")
            .finishReason());
    Chunk usage =
        Chunks.parse(
            HEAD
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,"
                + "\"total_tokens\":12}}");
    assertEquals("", usage.content());
    assertEquals(12, usage.usage().getInt("total_tokens"));
  }

  @Test
  void onlyTheFirstChoiceCounts() {
    Chunk chunk =
        Chunks.parse(
            "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"no\"}},"
                + "{\"index\":0,\"delta\":{\"content\":\"yes\"}}]}");
    assertEquals("yes", chunk.content());
    assertEquals(
        "", Chunks.parse("{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"no\"}}]}").content());
  }

  @Test
  void absentFieldsAreNothing() {
    assertEquals(new Chunk("", null, null), Chunks.parse("{}"));
    assertEquals(new Chunk("", null, null), Chunks.parse("{\"choices\":[{\"delta\":null}]}"));
  }

  @Test
  void garbageIsABadResponse() {
    for (String garbage :
        new String[] {
          "{\"choices\":[{\"delta\":{\"content\":\"lo\"}",
          "<html>502 Bad Gateway</html>",
          "[1,2]",
          "\"text\"",
          "{\"choices\":{}}",
          "{\"choices\":[\"x\"]}",
          "{\"choices\":[{\"delta\":\"x\"}]}",
          "{\"choices\":[{\"delta\":{\"content\":7}}]}",
          "{\"choices\":[{\"finish_reason\":1}]}",
          "{\"usage\":[]}",
          "{} {}"
        }) {
      UpstreamException e = assertThrows(UpstreamException.class, () -> Chunks.parse(garbage));
      assertEquals("upstream_bad_response", e.error().code(), garbage);
      assertFalse(e.error().message().contains(garbage), "the message never quotes the upstream");
    }
  }

  @Test
  void anErrorInTheStreamIsTheUpstreamsError() {
    UpstreamException e =
        assertThrows(
            UpstreamException.class,
            () ->
                Chunks.parse(
                    "{\"error\":{\"message\":\"secret sk-abc\",\"type\":\"server_error\"}}"));
    assertEquals("upstream_error", e.error().code());
    assertFalse(e.error().message().contains("sk-abc"));
    assertNull(Chunks.parse("{\"error\":null}").finishReason());
  }
}
