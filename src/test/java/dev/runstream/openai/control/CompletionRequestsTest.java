package dev.runstream.openai.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.openai.entity.OpenAiSettings;
import dev.runstream.runs.entity.ChatMessage;
import dev.runstream.runs.entity.Role;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionRequestsTest {

  private static final List<ChatMessage> MESSAGES =
      List.of(new ChatMessage(Role.SYSTEM, "be brief"), new ChatMessage(Role.USER, "hi"));

  private static OpenAiSettings settings(String base, String key) {
    return new OpenAiSettings(
        URI.create(base), key, "default", Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void theBodyAsksForAStreamWithUsage() {
    JsonObject body =
        Json.createReader(new StringReader(CompletionRequests.body("llama3.2", MESSAGES)))
            .readObject();
    assertEquals("llama3.2", body.getString("model"));
    assertTrue(body.getBoolean("stream"));
    assertTrue(body.getJsonObject("stream_options").getBoolean("include_usage"));
    assertEquals(
        Json.createArrayBuilder()
            .add(Json.createObjectBuilder().add("role", "system").add("content", "be brief"))
            .add(Json.createObjectBuilder().add("role", "user").add("content", "hi"))
            .build(),
        body.getJsonArray("messages"));
  }

  @Test
  void theRequestPostsJsonToChatCompletionsWithTheKey() {
    HttpRequest request =
        CompletionRequests.of(settings("http://localhost:11434/v1/", "sk-1"), "m", MESSAGES);
    assertEquals("POST", request.method());
    assertEquals(URI.create("http://localhost:11434/v1/chat/completions"), request.uri());
    assertEquals("application/json", request.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("text/event-stream", request.headers().firstValue("Accept").orElseThrow());
    assertEquals("Bearer sk-1", request.headers().firstValue("Authorization").orElseThrow());
    assertFalse(request.toString().contains("sk-1"));
  }

  @Test
  void withoutAKeyThereIsNoAuthorization() {
    HttpRequest request = CompletionRequests.of(settings("http://h/v1", null), "m", MESSAGES);
    assertTrue(request.headers().firstValue("Authorization").isEmpty());
  }
}
