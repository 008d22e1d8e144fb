package dev.runstream.responders.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WordsTest {

  @Test
  void eachWordKeepsTheWhiteSpaceAfterIt() {
    assertEquals(
        List.of("Hello, ", "streaming  ", "world!\n"), Words.split("Hello, streaming  world!\n"));
  }

  @Test
  void leadingWhiteSpaceGoesWithTheFirstWord() {
    assertEquals(List.of("  one ", "two"), Words.split("  one two"));
  }

  @Test
  void emptyTextHasNoTokensAndBlankTextOne() {
    assertEquals(List.of(), Words.split(""));
    assertEquals(List.of(" \t"), Words.split(" \t"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", " a ", "a  b\tc\n", "日本語 テキスト", "x\r\ny", "😀 😃"})
  void tokensJoinedGiveTheTextBack(String text) {
    assertEquals(text, String.join("", Words.split(text)));
  }
}
