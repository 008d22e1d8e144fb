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

  /**
   * {@code tokens} in at most {@code most} pieces, each of as many consecutive tokens as it takes
   * (joined they still give the same text): a long message is not a token per word.
   */
  public static List<String> inAtMost(List<String> tokens, int most) {
    if (tokens.size() <= most) {
      return tokens;
    }
    int each = (tokens.size() + most - 1) / most;
    List<String> pieces = new ArrayList<>(most);
    for (int from = 0; from < tokens.size(); from += each) {
      pieces.add(String.join("", tokens.subList(from, Math.min(tokens.size(), from + each))));
    }
    return pieces;
  }
}
