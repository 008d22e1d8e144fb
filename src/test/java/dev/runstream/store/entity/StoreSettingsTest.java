package dev.runstream.store.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {

  private static StoreSettings read(Map<String, String> given) {
    return StoreSettings.read(key -> Optional.ofNullable(given.get(key)));
  }

  @Test
  void withoutSettingsTheRunsAreInH2FilesInTheHomeFolder() {
    StoreSettings settings = read(Map.of());
    assertTrue(settings.embedded());
    Path expected = Path.of(System.getProperty("user.home"), ".runstream", "runstream");
    assertEquals(expected.toAbsolutePath(), settings.path());
    assertTrue(settings.jdbcUrl().startsWith("jdbc:h2:file:" + expected.toAbsolutePath() + ";"));
    assertTrue(settings.jdbcUrl().contains("WRITE_DELAY=0"), "every commit written through");
    assertEquals(16, settings.poolSize());
  }

  @Test
  void aRelativePathIsMadeAbsoluteAndTheCacheBoundGoesToH2() {
    StoreSettings settings =
        read(Map.of("chat.store.path", "data/db", "chat.store.h2-cache-kb", "512"));
    assertTrue(settings.path().isAbsolute());
    assertTrue(settings.jdbcUrl().endsWith(";CACHE_SIZE=512"));
  }

  @Test
  void aUrlPointsAtThatDatabaseAndItsPasswordIsNeverShown() {
    StoreSettings settings =
        read(
            Map.of(
                "chat.store.url", "jdbc:postgresql://db:5432/runs?sslmode=require",
                "chat.store.user", "app",
                "chat.store.password", "s3cret",
                "chat.store.pool-size", "32"));
    assertFalse(settings.embedded());
    assertEquals("jdbc:postgresql://db:5432/runs?sslmode=require", settings.jdbcUrl());
    assertEquals("jdbc:postgresql://db:5432/runs", settings.where(), "no parameters in the log");
    assertFalse(settings.toString().contains("s3cret"));
    assertEquals(32, settings.poolSize());
  }
}
