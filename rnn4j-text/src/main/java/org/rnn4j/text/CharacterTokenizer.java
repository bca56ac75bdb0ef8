package org.rnn4j.text;

import java.util.ArrayList;
import java.util.List;

/** One token per Unicode code point, white space and line breaks included. */
final class CharacterTokenizer implements Tokenizer {
  static final CharacterTokenizer INSTANCE = new CharacterTokenizer();

  @Override
  public List<String> tokenize(String text) {
    List<String> out = new ArrayList<>(text.length());
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      int n = Character.charCount(c);
      out.add(text.substring(i, i + n));
      i += n;
    }
    return out;
  }

  @Override
  public String name() {
    return "char";
  }
}
