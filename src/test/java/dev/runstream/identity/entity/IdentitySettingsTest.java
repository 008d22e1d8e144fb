package dev.runstream.identity.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentitySettingsTest {

  private static IdentitySettings read(Map<String, String> settings) {
    return IdentitySettings.read(key -> Optional.ofNullable(settings.get(key)));
  }

  @Test
  void offWithoutAKeyAndDefaults() {
    IdentitySettings none = read(Map.of(IdentitySettings.ISSUER, "https://idp"));
    assertFalse(none.enabled(), "an issuer alone turns nothing on");
    assertFalse(read(Map.of(IdentitySettings.PUBLIC_KEY_LOCATION, " ")).enabled());
    assertEquals(Set.of("RS256"), none.algorithms());
    assertEquals(60, none.clockSkewSeconds());
    assertEquals("runstream-admin", none.adminGroup());
    assertEquals(Set.of(), none.audiences());
  }

  @Test
  void onWithAKeyOrALocation() {
    assertTrue(read(Map.of(IdentitySettings.PUBLIC_KEY, "{}")).enabled());
    IdentitySettings located =
        read(
            Map.of(
                IdentitySettings.PUBLIC_KEY_LOCATION, "https://idp/certs",
                IdentitySettings.AUDIENCES, "a, b,,",
                IdentitySettings.CLOCK_SKEW, "5",
                IdentitySettings.ALGORITHM, "ES256, RS256",
                IdentitySettings.ADMIN_GROUP, "ops"));
    assertTrue(located.enabled());
    assertNull(located.publicKey());
    assertEquals(Set.of("a", "b"), located.audiences());
    assertEquals(5, located.clockSkewSeconds());
    assertEquals(Set.of("ES256", "RS256"), located.algorithms());
    assertEquals("ops", located.adminGroup());
  }

  @Test
  void unsupportedAlgorithmsAndNegativeSkewAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> read(Map.of(IdentitySettings.ALGORITHM, "HS256")));
    assertThrows(
        IllegalArgumentException.class, () -> read(Map.of(IdentitySettings.ALGORITHM, "none")));
    assertThrows(
        IllegalArgumentException.class, () -> read(Map.of(IdentitySettings.CLOCK_SKEW, "-1")));
  }
}
