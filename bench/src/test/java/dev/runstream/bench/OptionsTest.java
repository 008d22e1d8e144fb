package dev.runstream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
  void hostileTakesItsNumberOfClientsAndDefaultsTo200() {
    assertEquals(200, Options.parse(new String[] {"hostile"}).hostile);
    Options o = Options.parse(new String[] {"hostile", "--hostile", "50", "--duration", "120"});
    assertEquals(50, o.hostile);
    assertEquals(120, o.duration);
    assertTrue(Options.USAGE.contains("--hostile 200"));
  }

  @Test
  void usageNamesBatch() {
    assertTrue(Options.USAGE.contains("--batch 1"));
  }

  @Test
  void fanOutModesAreOffByDefault() {
    Options o = Options.parse(new String[] {"fanout"});
    assertFalse(o.reference);
    assertFalse(o.storm);
    assertEquals(0, o.stuck);
  }

  @Test
  void referenceStormAndStuckAreRead() {
    Options o =
        Options.parse(
            new String[] {"fanout", "--reference", "--storm", "--stuck", "20", "--port", "8093"});
    assertTrue(o.reference);
    assertTrue(o.storm);
    assertEquals(20, o.stuck);
    assertEquals(8094, o.referencePort, "the reference's port follows the server's");
    assertEquals(
        9000, Options.parse(new String[] {"fanout", "--reference-port", "9000"}).referencePort);
  }

  @Test
  void negativeStuckIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Options.parse(new String[] {"fanout", "--stuck", "-1"}));
  }

  @Test
  void usageNamesTheFanOutModes() {
    for (String option : new String[] {"--reference", "--storm", "--stuck N", "--stuck-events"}) {
      assertTrue(Options.USAGE.contains(option), option);
    }
  }
}
