package org.rnn4j.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.io.Json;

/**
 * Bleu against sacreBLEU (tools/golden/make_bleu_fixtures.py): scores, n-gram counts and lengths of
 * 40 corpora × {none, 13a} × {exp, none smoothing}, and the 13a tokenizer line by line. Both sides
 * compute the same doubles in the same order; the measured difference is 0, the tolerance 1e-9.
 */
class BleuTest {
  @SuppressWarnings("unchecked")
  static Map<String, Object> fixtures() throws IOException {
    try (InputStream in = BleuTest.class.getResourceAsStream("/bleu/sacrebleu_fixtures.json")) {
      return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void corpus_matchesSacreBleu() throws IOException {
    List<Map<String, Object>> cases = (List<Map<String, Object>>) fixtures().get("cases");
    assertEquals(40, cases.size());
    for (Map<String, Object> c : cases) {
      String what = c.get("name") + " " + c.get("tokenize") + " " + c.get("smooth");
      Bleu.Tokenize tok = c.get("tokenize").equals("13a") ? Bleu.Tokenize.THIRTEEN_A : Bleu.Tokenize.NONE;
      Bleu.Smoothing smooth = c.get("smooth").equals("exp") ? Bleu.Smoothing.EXP : Bleu.Smoothing.NONE;
      Bleu.Score s = Bleu.corpus((List<String>) c.get("hypotheses"), (List<String>) c.get("references"), tok, smooth);
      assertEquals(((Number) c.get("score")).doubleValue(), s.bleu(), 1e-9, what);
      assertArrayEquals(longs(c.get("counts")), s.correct(), what);
      assertArrayEquals(longs(c.get("totals")), s.total(), what);
      assertEquals(((Number) c.get("sys_len")).longValue(), s.hypothesisLength(), what);
      assertEquals(((Number) c.get("ref_len")).longValue(), s.referenceLength(), what);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void tokenize13a_matchesSacreBleu() throws IOException {
    for (List<String> pair : (List<List<String>>) fixtures().get("tokenize_13a")) {
      assertEquals(pair.get(1), Bleu.tokenize13a(pair.get(0)), pair.get(0));
    }
  }

  @Test
  void corpus_listsOfDifferentLength_isRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> Bleu.corpus(List.of("a"), List.of("a", "b"), Bleu.Tokenize.NONE));
  }

  private static long[] longs(Object list) {
    return ((List<?>) list).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
  }
}
