package dev.runstream.identity.entity;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExposureTest {

  @Test
  void withoutIdentityOnlyLoopbackIsServed() {
    for (String loopback :
        new String[] {"127.0.0.1", "127.8.9.10", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"}) {
      assertTrue(Exposure.serves(false, false, loopback), loopback);
    }
    for (String other :
        new String[] {
          "192.0.2.2", "10.0.0.1", "fd00::2", "0.0.0.0", "", "localhost", "evil.example"
        }) {
      assertFalse(Exposure.serves(false, false, other), other);
    }
    assertFalse(Exposure.serves(false, false, null));
  }

  @Test
  void identityOrAnExplicitOpenSettingServesEveryNetwork() {
    assertTrue(Exposure.serves(true, false, "192.0.2.2"));
    assertTrue(Exposure.serves(false, true, "192.0.2.2"));
    assertTrue(Exposure.serves(true, true, "fd00::2"));
  }
}
