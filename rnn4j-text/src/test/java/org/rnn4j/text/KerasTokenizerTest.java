package org.rnn4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Keras TextVectorization's default: ASCII lower case, ASCII punctuation removed, split at white space. */
class KerasTokenizerTest {
  private final Tokenizer t = Tokenizer.named("keras_lower_and_strip_punctuation");

  @Test
  void tokenize_lowersStripsAndSplits() {
    assertEquals(List.of("its", "a", "wellknown", "fact", "usa"), t.tokenize("  It's a well-known FACT (U.S.A.)!  "));
  }

  /** tf.strings.lower without an encoding changes ASCII letters only. */
  @Test
  void tokenize_leavesNonAsciiCaseAndLettersAlone() {
    assertEquals(List.of("ÉtÉ", "café"), t.tokenize("ÉTÉ\tCafé"));
  }

  @Test
  void tokenize_punctuationOnly_givesNoTokens() {
    assertEquals(List.of(), t.tokenize("?! ... --"));
  }
}
