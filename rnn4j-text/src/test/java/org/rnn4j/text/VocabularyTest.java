package org.rnn4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.io.FormatException;

class VocabularyTest {
  private static Vocabulary build(int minFreq, int maxSize, String... texts) {
    Vocabulary.Builder b = Vocabulary.builder();
    for (String t : texts) {
      b.add(List.of(t.split(" ")));
    }
    return b.build(List.of("<unk>", "<pad>"), minFreq, maxSize);
  }

  @Test
  void build_ordersByFrequencyThenCodePoint() {
    Vocabulary v = build(1, 0, "b a c", "a b", "a 𝔘 ｚ");
    assertEquals(List.of("<unk>", "<pad>", "a", "b", "c", "ｚ", "𝔘"), v.tokens());
  }

  @Test
  void build_appliesMinFreqAndMaxSize() {
    assertEquals(List.of("<unk>", "<pad>", "a", "b"), build(2, 0, "b a c", "a b").tokens());
    assertEquals(List.of("<unk>", "<pad>", "a"), build(1, 3, "b a c", "a b").tokens());
  }

  @Test
  void encode_mapsUnknownTokensToUnk() {
    Vocabulary v = build(1, 0, "x y");
    assertEquals(0, v.id("never-seen"));
    assertEquals(1, v.paddingId());
    assertTrue(v.encode(List.of("x", "zzz"))[1] == 0);
  }

  @Test
  void text_roundTripsTokensWithNewlinesTabsAndBackslashes() throws Exception {
    Vocabulary v = Vocabulary.of(List.of("<unk>", "\n", "\t", "\\", "\\n", " ", "\r", "é"));
    String text = v.toText();
    assertEquals(8, text.split("\n").length);
    assertEquals(v.tokens(), Vocabulary.fromText(text, "vocab.txt").tokens());
  }

  @Test
  void fromText_rejectsDanglingBackslash() {
    assertEquals("vocab.txt:2: dangling backslash",
        assertThrows(FormatException.class, () -> Vocabulary.fromText("<unk>\nab\\\n", "vocab.txt")).getMessage());
  }

  @Test
  void fromText_rejectsDuplicates() {
    assertEquals("vocab.txt: duplicate token 'a' in vocabulary",
        assertThrows(FormatException.class, () -> Vocabulary.fromText("a\nb\na\n", "vocab.txt")).getMessage());
  }

  @Test
  void fromText_rejectsEmpty() {
    assertEquals("vocab.txt: the vocabulary is empty",
        assertThrows(FormatException.class, () -> Vocabulary.fromText("", "vocab.txt")).getMessage());
  }

  @Test
  void build_rejectsBadLimits() {
    assertEquals("min-freq must be >= 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> build(0, 0, "a")).getMessage());
    assertEquals("max-vocab must be 0 (no limit) or greater than the 2 special tokens, got 2",
        assertThrows(IllegalArgumentException.class, () -> build(1, 2, "a")).getMessage());
  }
}
