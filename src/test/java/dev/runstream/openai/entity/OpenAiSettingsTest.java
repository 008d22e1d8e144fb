package dev.runstream.openai.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runstream.input.entity.InvalidInputException;
import dev.runstream.input.entity.Violation;
import dev.runstream.input.entity.Violations;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenAiSettingsTest {

  private static OpenAiSettings read(Map<String, String> values) {
    return OpenAiSettings.read(key -> Optional.ofNullable(values.get(key)));
  }

  private static List<Violation> violations(OpenAiSettings settings, String requested) {
    Violations violations = new Violations();
    settings.modelFor(requested, violations);
    if (violations.isEmpty()) {
      return List.of();
    }
    return assertThrows(InvalidInputException.class, violations::throwIfAny).violations();
  }

  @Test
  void nothingIsSetByDefaultButTheTimeouts() {
    OpenAiSettings settings = read(Map.of());
    assertNull(settings.baseUrl());
    assertNull(settings.apiKey());
    assertNull(settings.model());
    assertEquals(Duration.ofSeconds(10), settings.connectTimeout());
    assertEquals(Duration.ofSeconds(120), settings.readTimeout());
  }

  @Test
  void everySettingIsRead() {
    OpenAiSettings settings =
        read(
            Map.of(
                "chat.openai.base-url", "http://localhost:11434/v1",
                "chat.openai.api-key", "sk-1",
                "chat.openai.model", "llama3.2",
                "chat.openai.connect-timeout-ms", "500",
                "chat.openai.read-timeout-ms", "2000"));
    assertEquals(URI.create("http://localhost:11434/v1"), settings.baseUrl());
    assertEquals(URI.create("http://localhost:11434/v1/chat/completions"), settings.completions());
    assertEquals("sk-1", settings.apiKey());
    assertEquals("llama3.2", settings.model());
    assertEquals(Duration.ofMillis(500), settings.connectTimeout());
    assertEquals(Duration.ofMillis(2000), settings.readTimeout());
  }

  @Test
  void aTrailingSlashDoesNotDoubleInThePath() {
    assertEquals(
        URI.create("https://api.openai.com/v1/chat/completions"),
        read(Map.of("chat.openai.base-url", "https://api.openai.com/v1/")).completions());
  }

  @Test
  void blankValuesAreNotSet() {
    OpenAiSettings settings =
        read(
            Map.of(
                "chat.openai.api-key", " ", "chat.openai.base-url", "", "chat.openai.model", ""));
    assertNull(settings.apiKey());
    assertNull(settings.baseUrl());
    assertNull(settings.model());
  }

  @Test
  void invalidValuesNameTheKeyButNeverTheValue() {
    for (Map<String, String> bad :
        List.of(
            Map.of("chat.openai.base-url", "ftp://user:sk-pass@host/v1"),
            Map.of("chat.openai.base-url", "localhost:11434/v1"),
            Map.of("chat.openai.base-url", "http://user:sk-pass@host/v1?key=sk-pass"),
            Map.of("chat.openai.base-url", "http://exa mple/sk-pass"),
            Map.of("chat.openai.read-timeout-ms", "0"),
            Map.of("chat.openai.connect-timeout-ms", "ten"))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> read(bad), bad.toString());
      String key = bad.keySet().iterator().next();
      assertTrue(e.getMessage().startsWith(key), e.getMessage());
      assertFalse(e.getMessage().contains("sk-pass"));
    }
  }

  @Test
  void aRunsModelWinsOverTheDefault() {
    OpenAiSettings settings =
        read(Map.of("chat.openai.base-url", "http://h/v1", "chat.openai.model", "default-model"));
    Violations violations = new Violations();
    assertEquals("mine", settings.modelFor("mine", violations));
    assertEquals("default-model", settings.modelFor(null, violations));
    assertTrue(violations.isEmpty());
  }

  @Test
  void withoutADefaultModelARunMustNameOne() {
    OpenAiSettings settings = read(Map.of("chat.openai.base-url", "http://h/v1"));
    assertEquals(
        List.of(
            new Violation(
                "/model",
                "Required: name the model; this server has no default (chat.openai.model).")),
        violations(settings, null));
    assertEquals(List.of(), violations(settings, "named"));
  }

  @Test
  void withoutABaseUrlTheResponderIsNotSetUp() {
    List<Violation> found = violations(read(Map.of("chat.openai.model", "m")), null);
    assertEquals(1, found.size());
    assertEquals("/responder", found.get(0).pointer());
    assertEquals(
        "The openai responder is not set up on this server: chat.openai.base-url is not set.",
        found.get(0).detail());
  }

  @Test
  void theKeyNeverShowsInToString() {
    OpenAiSettings settings =
        read(Map.of("chat.openai.base-url", "http://h/v1", "chat.openai.api-key", "sk-secret"));
    assertFalse(settings.toString().contains("sk-secret"));
    assertTrue(settings.toString().contains("apiKey=(set)"));
  }
}
