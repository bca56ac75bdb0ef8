package org.rnn4j.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tokenizer of {@code ../shared/bench/torch_seq2seq.py}: NFC, lower case, then Python's
 * {@code re.findall(r"\w+|[^\w\s]")}: runs of word characters, and every other character that is
 * not white space as a token of its own. A word character is, as in Python's {@code re} on str,
 * a letter, a number (decimal, letter-like or other) or '_'.
 */
final class WordTokenizer implements Tokenizer {
  static final String NAME = "word";
  static final WordTokenizer INSTANCE = new WordTokenizer();

  @Override
  public List<String> tokenize(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      int c = s.codePointAt(i);
      int next = i + Character.charCount(c);
      if (isWord(c)) {
        int end = next;
        while (end < n && isWord(s.codePointAt(end))) {
          end += Character.charCount(s.codePointAt(end));
        }
        out.add(s.substring(i, end));
        i = end;
      } else {
        if (!PythonText.isSpace(c)) {
          out.add(s.substring(i, next));
        }
        i = next;
      }
    }
    return out;
  }

  static boolean isWord(int c) {
    if (c == '_' || Character.isLetter(c)) {
      return true;
    }
    int type = Character.getType(c);
    return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
        || type == Character.OTHER_NUMBER;
  }

  @Override
  public String name() {
    return NAME;
  }
}
