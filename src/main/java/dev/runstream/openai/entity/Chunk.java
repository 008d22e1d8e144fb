package dev.runstream.openai.entity;

import jakarta.json.JsonObject;

/**
 * What one upstream {@code chat.completion.chunk} carries for the run: text to append ({@code ""}
 * for none), and the {@code finish_reason} and {@code usage} that the last chunks bring (null when
 * absent).
 */
public record Chunk(String content, String finishReason, JsonObject usage) {}
