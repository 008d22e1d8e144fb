package dev.runstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublicUrlsTest {

  private static PublicUrls configured(String value) {
    PublicUrls urls = new PublicUrls();
    urls.configured = Optional.ofNullable(value);
    urls.check();
    return urls;
  }

  @Test
  void aConfiguredBaseNamesTheContextRootWithOrWithoutItsSlash() {
    for (String base :
        new String[] {"https://chat.example.com/ctx", "https://chat.example.com/ctx/"}) {
      PublicUrls urls = configured(base);
      assertTrue(urls.absolute());
      assertEquals(
          URI.create("https://chat.example.com/ctx/api/v1/chat/runs/run_x"),
          urls.of(null, "api/v1/chat/runs/run_x"),
          "no request is looked at");
    }
  }

  @Test
  void unsetOrBlankMeansRelativeUrls() {
    assertFalse(configured(null).absolute());
    assertFalse(configured(" ").absolute());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "chat.example.com",
        "ftp://chat.example.com/",
        "https:///nohost",
        "https://chat.example.com/?q=1",
        "https://chat.example.com/#top",
        "https://user@chat.example.com/",
        "https://chat example.com/"
      })
  void anythingButAnHttpUrlWithAHostIsRefused(String base) {
    assertThrows(IllegalArgumentException.class, () -> configured(base));
  }

  @Test
  void theContextRootComesFromTheApisPath() {
    assertEquals("/ctx/", PublicUrls.contextPath("/ctx/api/v1/"));
    assertEquals("/ctx/", PublicUrls.contextPath("/ctx/api/v1"));
    assertEquals("/", PublicUrls.contextPath("/api/v1/"));
  }
}
