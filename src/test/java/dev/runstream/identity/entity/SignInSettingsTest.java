package dev.runstream.identity.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignInSettingsTest {

  private static SignInSettings read(Map<String, String> settings) {
    return SignInSettings.read(key -> Optional.ofNullable(settings.get(key)));
  }

  @Test
  void offWithoutAClientId() {
    assertFalse(read(Map.of("mp.jwt.verify.issuer", "https://idp.test")).enabled());
    assertFalse(read(Map.of("chat.security.oidc.client-id", "  ")).enabled());
  }

  @Test
  void theProviderIsTheTokensIssuerUnlessNamed() {
    SignInSettings issuer =
        read(
            Map.of(
                "chat.security.oidc.client-id",
                "page",
                "mp.jwt.verify.issuer",
                "https://a.test/r"));
    assertTrue(issuer.enabled());
    assertEquals(URI.create("https://a.test/r"), issuer.provider());
    assertNull(issuer.clientSecret());
    SignInSettings named =
        read(
            Map.of(
                "chat.security.oidc.client-id", "page",
                "mp.jwt.verify.issuer", "https://a.test/r",
                "chat.security.oidc.provider", "https://b.test/r"));
    assertEquals(URI.create("https://b.test/r"), named.provider());
  }

  @Test
  void noProviderAtAllFailsNamingTheKeys() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> read(Map.of("chat.security.oidc.client-id", "page")));
    assertTrue(e.getMessage().contains("chat.security.oidc.provider"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            read(
                Map.of(
                    "chat.security.oidc.client-id", "page",
                    "chat.security.oidc.provider", "ftp://idp.test")));
  }

  @Test
  void theScopeAlwaysHasOpenid() {
    Map<String, String> base =
        Map.of(
            "chat.security.oidc.client-id",
            "page",
            "chat.security.oidc.provider",
            "https://i.test");
    assertEquals("openid", read(base).scope());
    Map<String, String> withScope = new HashMap<>(base);
    withScope.put("chat.security.oidc.scope", "profile email");
    assertEquals("openid profile email", read(withScope).scope());
    withScope.put("chat.security.oidc.scope", "email openid");
    assertEquals("email openid", read(withScope).scope());
  }

  @Test
  void theSecretIsNeverPrinted() {
    SignInSettings settings =
        read(
            Map.of(
                "chat.security.oidc.client-id", "page",
                "chat.security.oidc.provider", "https://i.test",
                "chat.security.oidc.client-secret", "s3cr3t-value"));
    assertEquals("s3cr3t-value", settings.clientSecret());
    assertFalse(settings.toString().contains("s3cr3t"), settings.toString());
  }
}
