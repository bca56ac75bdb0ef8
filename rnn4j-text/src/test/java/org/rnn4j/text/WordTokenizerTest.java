package org.rnn4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The word tokenizer against torch_seq2seq.py's {@code re.findall(r"\w+|[^\w\s]", nfc(s).lower())}:
 * the expected lists are what Python 3 printed for these strings.
 */
class WordTokenizerTest {
  private static void same(String text, String... expected) {
    assertEquals(List.of(expected), Tokenizer.named("word").tokenize(text), text);
  }

  @Test
  void tokenize_matchesPythonRegex() {
    same("Mein Geld ist alle.", "mein", "geld", "ist", "alle", ".");
    same("Warte kurz, ich bin gleich wieder da.", "warte", "kurz", ",", "ich", "bin", "gleich", "wieder", "da", ".");
    same("I've run out of money!", "i", "'", "ve", "run", "out", "of", "money", "!");
    same("Stra\u00dfe \u2014 \u00dcBER 3,5 km_h?", "stra\u00dfe", "\u2014", "\u00fcber", "3", ",", "5", "km_h", "?");
    same("\"Quoted\" (paren) [x]", "\"", "quoted", "\"", "(", "paren", ")", "[", "x", "]");
  }

  @Test
  void tokenize_composesAndKeepsUnicodeWords() {
    same("Cafe\u0301 na\u0308ive", "caf\u00e9", "n\u00e4ive"); // NFC first
    same("x\u00b2+y\u00bd = \u216b", "x\u00b2", "+", "y\u00bd", "=", "\u217b"); // numbers are word characters
    same("\u65e5\u672c\u8a9e \u30c6\u30ad\u30b9\u30c8\u3002", "\u65e5\u672c\u8a9e", "\u30c6\u30ad\u30b9\u30c8", "\u3002");
    same("tab\there\u00a0nbsp", "tab", "here", "nbsp");
    same("emoji \ud83d\ude42ok", "emoji", "\ud83d\ude42", "ok");
  }

  @Test
  void tokenize_emptyOrBlank_isEmpty() {
    same("");
    same(" \t\n ");
  }
}
