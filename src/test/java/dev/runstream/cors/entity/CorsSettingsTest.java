package dev.runstream.cors.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CorsSettingsTest {

  private static CorsSettings read(String origins) {
    Map<String, String> settings =
        origins == null ? Map.of() : Map.of(CorsSettings.ALLOWED_ORIGINS, origins);
    return CorsSettings.read(key -> Optional.ofNullable(settings.get(key)));
  }

  @Test
  void noOriginIsAllowedByDefault() {
    for (String none : new String[] {null, "", " , "}) {
      CorsSettings settings = read(none);
      assertFalse(settings.enabled(), String.valueOf(none));
      assertFalse(settings.allows("https://app.example"));
      assertFalse(settings.allows(null));
    }
  }

  @Test
  void originsAreKeptAsBrowsersSendThem() {
    CorsSettings settings =
        read(
            " https://app.example, HTTP://LocalHost:5173,https://App.Example:443,http://[::1]:80 ");
    assertEquals(
        List.of("https://app.example", "http://localhost:5173", "http://[::1]"),
        List.copyOf(settings.allowedOrigins()));
    assertTrue(settings.allows("https://app.example"));
    assertTrue(settings.allows("http://localhost:5173"));
    assertTrue(settings.allows("http://[::1]"));
  }

  @Test
  void anOriginIsAllowedOnlyExactly() {
    CorsSettings settings = read("https://app.example");
    for (String other :
        List.of(
            "http://app.example",
            "https://app.example:8443",
            "https://app.example.evil.example",
            "https://sub.app.example",
            "https://app.example/",
            "HTTPS://APP.EXAMPLE",
            "null",
            "")) {
      assertFalse(settings.allows(other), other);
    }
  }

  @Test
  void wildcardsNullAndWhatIsNoOriginAreRefused() {
    for (String refused :
        List.of(
            "*",
            "null",
            "https://*.example",
            "app.example",
            "https://app.example/",
            "https://app.example/path",
            "https://app.example?x=1",
            "https://app.example#x",
            "https://user@app.example",
            "ftp://app.example",
            "file:///tmp",
            "https://",
            "https://app example")) {
      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class, () -> read("https://ok.example, " + refused));
      assertTrue(
          error.getMessage().startsWith(CorsSettings.ALLOWED_ORIGINS + " names \""), refused);
      assertTrue(error.getMessage().contains("https://app.example"), "it shows an example");
    }
  }
}
