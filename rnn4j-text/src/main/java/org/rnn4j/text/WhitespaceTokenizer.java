package org.rnn4j.text;

import java.util.List;

/** Python's {@code str.split()}: runs of Unicode white space separate tokens; no other change. */
final class WhitespaceTokenizer implements Tokenizer {
  static final WhitespaceTokenizer INSTANCE = new WhitespaceTokenizer();

  @Override
  public List<String> tokenize(String text) {
    return PythonText.split(text);
  }

  @Override
  public String name() {
    return "whitespace";
  }
}
