package dev.runstream.responders.control;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits text into tokens of one word each, with the white space that follows it. */
public final class Words {

  private static final Pattern WORD = Pattern.compile("\\S+\\s*");

  private Words() {}

  /**
   * The tokens of {@code text}; joined they give {@code text} back exactly. White space before the
   * first word goes with the first token; text of white space only is one token; "" is none.
   */
  public static List<String> split(String text) {
    List<String> tokens = new ArrayList<>();
    Matcher word = WORD.matcher(text);
    int start = 0;
    while (word.find()) {
      tokens.add(text.substring(start, word.end()));
      start = word.end();
    }
    if (start < text.length()) {
      tokens.add(text.substring(start));
    }
    return tokens;
  }
}
