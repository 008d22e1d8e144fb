package dev.runstream.testing.openai;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;

/**
 * A stand-in for an OpenAI-compatible server, speaking its streaming wire format: {@code POST
 * /chat/completions} answers {@code text/event-stream} with {@code data: {chat.completion.chunk}}
 * frames, a last chunk with {@code finish_reason}, a usage chunk when {@code
 * stream_options.include_usage} asks for one, then {@code data: [DONE]}. The model name picks the
 * scenario; any other model gets "Hello from MODEL!". A request without the configured key as
 * {@code Authorization: Bearer} gets 401, like OpenAI, with the key it got quoted in the body.
 */
@WebServlet(urlPatterns = StubBaseUrl.PATH + "/chat/completions")
public class StubCompletions extends HttpServlet {

  /** The longest a held or stalled reply waits for its test to release it. */
  private static final Duration MOST = Duration.ofSeconds(15);

  /** The pace of the endless reply. */
  private static final Duration TICK = Duration.ofMillis(20);

  @Inject UpstreamStub stub;

  @Inject Config config;

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    JsonObject body;
    try (var reader = Json.createReader(request.getInputStream())) {
      body = reader.readObject();
    }
    String model = body.getString("model", "");
    String authorization = request.getHeader("Authorization");
    StubExchange exchange = stub.exchange(model);
    exchange.received(new StubExchange.Call(body, authorization));
    String key = config.getOptionalValue("chat.openai.api-key", String.class).orElse(null);
    if (model.equals("stub-401") || (key != null && !("Bearer " + key).equals(authorization))) {
      error(response, 401, "Incorrect API key provided: " + authorization + ".");
    } else if (model.equals("stub-429")) {
      error(response, 429, "Rate limit reached for " + authorization + ".");
    } else if (model.equals("stub-500")) {
      error(response, 500, "The server had an error while processing your request.");
    } else {
      response.setContentType("text/event-stream");
      response.setHeader("Cache-Control", "no-cache");
      try {
        stream(new Frames(response.getOutputStream(), model, usage(body)), exchange);
      } catch (IOException clientGone) {
        exchange.clientGone();
      }
    }
  }

  private static void stream(Frames frames, StubExchange exchange) throws IOException {
    frames.role();
    switch (frames.model) {
      case "stub-hold" -> {
        frames.content("Hel");
        frames.content("lo");
        exchange.awaitRelease(MOST);
        frames.content(" world");
        frames.finish("stop");
      }
      case "stub-stall" -> {
        frames.content("Hel");
        exchange.awaitRelease(MOST); // silent meanwhile
      }
      case "stub-garbage" -> {
        frames.content("Hel");
        frames.raw(
            "data: {\"id\":\"chatcmpl-stub\",\"choices\":[{\"delta\":{\"content\":\"lo\"}\n\n");
        frames.finish("stop");
      }
      case "stub-truncated" -> frames.content("Hel"); // then the body just ends
      case "stub-error-chunk" -> {
        frames.content("Hel");
        frames.raw(
            "data: {\"error\":{\"message\":\"Internal error for key "
                + exchange.lastCall().authorization()
                + "\",\"type\":\"server_error\"}}\n\n");
      }
      case "stub-endless" -> {
        for (long end = System.nanoTime() + MOST.toNanos(); System.nanoTime() < end; ) {
          frames.content("tick ");
          if (exchange.awaitRelease(TICK)) {
            break;
          }
        }
        frames.finish("length");
      }
      default -> {
        frames.content("Hello");
        frames.content(" from ");
        frames.content(frames.model + "!");
        frames.finish("stop");
      }
    }
  }

  private static boolean usage(JsonObject body) {
    JsonValue options = body.get("stream_options");
    return options instanceof JsonObject o && o.getBoolean("include_usage", false);
  }

  private static void error(HttpServletResponse response, int status, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response
        .getOutputStream()
        .write(
            Json.createObjectBuilder()
                .add(
                    "error",
                    Json.createObjectBuilder()
                        .add("message", message)
                        .add("type", "invalid_request_error")
                        .addNull("param")
                        .add("code", status == 401 ? "invalid_api_key" : "error"))
                .build()
                .toString()
                .getBytes(StandardCharsets.UTF_8));
  }

  /** Writes frames in OpenAI's format, each flushed at once. */
  private static final class Frames {
    private final OutputStream out;
    private final String model;
    private final boolean usage;
    private int completionTokens;

    Frames(OutputStream out, String model, boolean usage) {
      this.out = out;
      this.model = model;
      this.usage = usage;
    }

    void role() throws IOException {
      chunk(Json.createObjectBuilder().add("role", "assistant").add("content", "").build(), null);
    }

    void content(String text) throws IOException {
      completionTokens++;
      chunk(Json.createObjectBuilder().add("content", text).build(), null);
    }

    void finish(String reason) throws IOException {
      chunk(JsonValue.EMPTY_JSON_OBJECT, reason);
      if (usage) {
        raw(
            "data: "
                + head()
                    .add("choices", Json.createArrayBuilder())
                    .add(
                        "usage",
                        Json.createObjectBuilder()
                            .add("prompt_tokens", 9)
                            .add("completion_tokens", completionTokens)
                            .add("total_tokens", 9 + completionTokens))
                    .build()
                + "\n\n");
      }
      raw("data: [DONE]\n\n");
    }

    void chunk(JsonObject delta, String finishReason) throws IOException {
      var choice =
          Json.createObjectBuilder().add("index", 0).add("delta", delta).addNull("logprobs");
      if (finishReason == null) {
        choice.addNull("finish_reason");
      } else {
        choice.add("finish_reason", finishReason);
      }
      var chunk = head().add("choices", Json.createArrayBuilder().add(choice));
      if (usage) {
        chunk.addNull("usage");
      }
      raw("data: " + chunk.build() + "\n\n");
    }

    void raw(String frame) throws IOException {
      out.write(frame.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    private jakarta.json.JsonObjectBuilder head() {
      return Json.createObjectBuilder()
          .add("id", "chatcmpl-stub")
          .add("object", "chat.completion.chunk")
          .add("created", 1_700_000_000)
          .add("model", model)
          .add("system_fingerprint", "fp_stub");
    }
  }
}
