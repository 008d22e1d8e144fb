package dev.runstream.streaming.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runstream.input.entity.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LastEventIdsTest {

  @Test
  void noIdMeansFromTheStart() {
    assertEquals(0, LastEventIds.parse(null, null));
    assertEquals(0, LastEventIds.parse("", " "));
  }

  @Test
  void theHeaderWinsOverTheQueryParameter() {
    assertEquals(7, LastEventIds.parse("7", "3"));
    assertEquals(3, LastEventIds.parse(null, "3"));
    assertEquals(12, LastEventIds.parse(" 12 ", null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "1.5", "abc", "0x10", "99999999999999999999", "1e3", "+4"})
  void anythingButANonNegativeWholeNumberIsRefused(String value) {
    InvalidInputException header =
        assertThrows(InvalidInputException.class, () -> LastEventIds.parse(value, null));
    assertEquals("Last-Event-ID", header.violations().get(0).pointer());
    InvalidInputException query =
        assertThrows(InvalidInputException.class, () -> LastEventIds.parse(null, value));
    assertEquals("last_event_id", query.violations().get(0).pointer());
  }
}
