package dev.runstream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The command line's options that the server command does not show. */
class OptionsTest {

  @Test
  void appendsPostsOneEventARequestByDefault() {
    assertEquals(1, Options.parse(new String[] {"appends"}).batch);
  }

  @Test
  void batchIsReadAndRecordedAsGiven() {
    Options o = Options.parse(new String[] {"appends", "--batch", "100", "--producers", "10"});
    assertEquals(100, o.batch);
    assertEquals("100", o.given().get("batch"));
    assertEquals(1000, Options.parse(new String[] {"appends", "--batch", "1000"}).batch);
  }

  @Test
  void batchOutsideWhatTheServerTakesIsRefused() {
    for (String batch : new String[] {"0", "-1", "1001"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> Options.parse(new String[] {"appends", "--batch", batch}));
      assertTrue(e.getMessage().contains("--batch"), e.getMessage());
    }
    assertThrows(
        NumberFormatException.class,
        () -> Options.parse(new String[] {"appends", "--batch", "many"}));
  }

  @Test
  void usageNamesBatch() {
    assertTrue(Options.USAGE.contains("--batch 1"));
  }
}
