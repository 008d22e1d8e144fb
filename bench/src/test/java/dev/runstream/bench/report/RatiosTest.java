package dev.runstream.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Figures held beside another measurement's: both, and this / other. */
class RatiosTest {

  private static final Map<String, Object> SERVICE =
      Map.of("latency", Map.of("p99_ms", 60.0), "connected", 100L, "connection_errors", 3L);
  private static final Map<String, Object> REFERENCE =
      Map.of("latency", Map.of("p99_ms", 12.0), "connected", 100L, "connection_errors", 0L);

  @Test
  void ratioIsThisOverOtherOfEachFigure() {
    Map<String, Object> r = Ratios.of(SERVICE, REFERENCE, List.of("latency.p99_ms", "connected"));
    assertEquals(Map.of("this", 60L, "other", 12L, "ratio", 5.0), r.get("latency.p99_ms"));
    assertEquals(Map.of("this", 100L, "other", 100L, "ratio", 1.0), r.get("connected"));
  }

  @Test
  void figureTheOtherHasAtZeroOrNotAtAllHasNoRatio() {
    Map<String, Object> r =
        Ratios.of(SERVICE, REFERENCE, List.of("connection_errors", "latency.max_ms"));
    assertNull(Results.map(r, "connection_errors").get("ratio"));
    assertNull(Results.map(r, "latency.max_ms").get("this"));
  }

  @Test
  void negativeFigureHasNoRatio() {
    assertNull(Ratios.ratio(7_905, -3_440));
    assertNull(Ratios.ratio(-1, 10));
    assertEquals(0.0, Ratios.ratio(0, 10));
  }

  @Test
  void cellShowsBothAndTheRatio() {
    Map<String, Object> r =
        Ratios.of(
            Map.of("latency", Map.of("p99_ms", 64.7), "connection_errors", 3L),
            Map.of("latency", Map.of("p99_ms", 12.5), "connection_errors", 0L),
            List.of("latency.p99_ms", "connection_errors"));
    assertEquals("64.7 / 12.5 (×5.18)", Ratios.cell(r, "latency.p99_ms"));
    assertEquals("3 / 0", Ratios.cell(r, "connection_errors"));
    assertEquals("-", Ratios.cell(r, "delivered_events_per_s"));
  }

  @Test
  void referenceTableAppearsOnlyForStepsMeasuredBesideTheReference() {
    assertEquals("", FanOutReport.referenceTable(List.of(SERVICE)));
    Map<String, Object> step =
        Map.of(
            "subscribers", 100,
            "rate_per_s", 10,
            "ratio_to_reference", Ratios.of(SERVICE, REFERENCE, Ratios.TO_REFERENCE));
    String table = FanOutReport.referenceTable(List.of(step));
    assertTrue(table.contains("60 / 12 (×5.00)"), table);
  }

  @Test
  void stormAndStuckTablesShowTheirSteps() {
    Map<String, Object> storm =
        Map.of(
            "server",
            "service",
            "subscribers",
            100,
            "storm",
            true,
            "silent_streams",
            7L,
            "error_kinds",
            Map.of("read: IOException: Connection reset by peer", 2L));
    String table = FanOutReport.stormTable(List.of(storm));
    assertTrue(table.contains("Connection reset by peer: 2"), table);
    assertEquals("", FanOutReport.stuckTable(List.of(storm)));
    Map<String, Object> stuck =
        Map.of(
            "server",
            "service",
            "stuck_clients",
            20,
            "stuck",
            Map.of("closed_by_server", 5L, "reset", 1L, "held", 14L),
            "ratio_to_without_stuck",
            Ratios.of(SERVICE, REFERENCE, Ratios.LATENCY));
    table = FanOutReport.stuckTable(List.of(stuck));
    assertTrue(table.contains("5 + 1"), table);
    assertTrue(table.contains("(×5.00)"), table);
  }
}
