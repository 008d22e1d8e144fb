package dev.runstream.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How the hostile scenario tells one 503 from another: by the problem type of its body. */
class HostileTest {

  @Test
  void aRefusalIsCountedByItsProblemType() {
    assertEquals(
        "server-busy",
        Hostile.problem(
            "{\"type\":\"urn:runstream:problem:server-busy\",\"title\":\"Server busy\",\"status\":503}"));
    assertEquals(
        "store-unavailable",
        Hostile.problem("{\"type\":\"urn:runstream:problem:store-unavailable\",\"status\":503}"));
    assertEquals("no problem type", Hostile.problem("<html>Service Unavailable</html>"));
    assertEquals("no problem type", Hostile.problem(null));
  }
}
