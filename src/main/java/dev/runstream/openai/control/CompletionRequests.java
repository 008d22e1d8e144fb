package dev.runstream.openai.control;

import dev.runstream.Jsons;
import dev.runstream.openai.entity.OpenAiSettings;
import dev.runstream.runs.entity.ChatMessage;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code POST {base}/chat/completions} with {@code stream: true}: the run's messages and model, and
 * a request for the token usage at the end of the stream.
 */
final class CompletionRequests {

  private CompletionRequests() {}

  static HttpRequest of(OpenAiSettings settings, String model, List<ChatMessage> messages) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(settings.completions())
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .POST(
                HttpRequest.BodyPublishers.ofString(body(model, messages), StandardCharsets.UTF_8));
    if (settings.apiKey() != null) {
      request.header("Authorization", "Bearer " + settings.apiKey());
    }
    return request.build();
  }

  static String body(String model, List<ChatMessage> messages) {
    var wire = Jsons.array();
    messages.forEach(message -> wire.add(message.toJson()));
    return Jsons.object()
        .add("model", model)
        .add("messages", wire)
        .add("stream", true)
        .add("stream_options", Jsons.object().add("include_usage", true))
        .build()
        .toString();
  }
}
