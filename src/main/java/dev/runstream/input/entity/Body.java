package dev.runstream.input.entity;

import jakarta.json.JsonObject;

/** A request body read as one JSON object, and the SHA-256 of its bytes (hex), to recognize it. */
public record Body(JsonObject json, String sha256) {}
