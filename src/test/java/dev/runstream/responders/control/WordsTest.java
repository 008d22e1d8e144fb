package dev.runstream.responders.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void aLongTextComesInAtMostSoManyPiecesThatGiveItBack() {
    String text = "word ".repeat(100_000);
    List<String> pieces = Words.inAtMost(Words.split(text), 256);
    assertTrue(pieces.size() <= 256, pieces.size() + " pieces");
    assertTrue(pieces.size() > 200, "each piece about as long: " + pieces.size());
    assertEquals(text, String.join("", pieces));
    assertEquals(List.of("a ", "b"), Words.inAtMost(List.of("a ", "b"), 256), "short: as it is");
    assertEquals(List.of("a b ", "c"), Words.inAtMost(List.of("a ", "b ", "c"), 2));
  }
}
