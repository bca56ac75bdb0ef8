package org.rnn4j.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Keras {@code TextVectorization}'s default tokenization, {@code standardize="lower_and_strip_punctuation"}
 * and {@code split="whitespace"}, so that a model imported from Keras reads text as it was trained.
 * As keras/src/layers/preprocessing/text_vectorization.py does it with TensorFlow's string ops:
 * {@code tf.strings.lower} (ASCII letters only, its default encoding), then {@code regex_replace} of
 * the ASCII punctuation {@code [!"#$%&()*+,-./:;<=>?@[\]^_`{|}~']} by nothing, then
 * {@code tf.strings.split}, which splits at runs of ASCII white space.
 */
final class KerasTokenizer implements Tokenizer {
  static final KerasTokenizer INSTANCE = new KerasTokenizer();
  static final String NAME = "keras_lower_and_strip_punctuation";
  private static final String PUNCTUATION = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'";

  private KerasTokenizer() {}

  @Override
  public List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder token = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
        if (token.length() > 0) {
          out.add(token.toString());
          token.setLength(0);
        }
      } else if (PUNCTUATION.indexOf(c) < 0) {
        token.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
      }
    }
    if (token.length() > 0) {
      out.add(token.toString());
    }
    return out;
  }

  @Override
  public String name() {
    return NAME;
  }
}
