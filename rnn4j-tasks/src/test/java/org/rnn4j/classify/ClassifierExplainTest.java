package org.rnn4j.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnn4j.io.Json;

/** Classifier.explain on the committed GRU classifier (format-v1 fixture). */
class ClassifierExplainTest {
  static Classifier model;

  @BeforeAll
  static void load() throws Exception {
    model = Classifier.load(Path.of(ClassifierExplainTest.class.getResource("/format-v1/classifier").toURI()));
  }

  @Test
  void explain_predictionIsPredictBitForBit() {
    String text = "filler3 alphaword1 zebra filler19 betaword2";
    Explanation e = model.explain(text);
    assertArrayEquals(model.predict(text).probabilities(), e.prediction().probabilities());
    assertEquals(List.of("filler3", "alphaword1", "zebra", "filler19", "betaword2"), e.tokens());
  }

  @Test
  void explain_marksUnknownTokens() {
    Explanation e = model.explain("filler3 zebra filler19");
    assertArrayEquals(new boolean[] {false, true, false}, e.unknown());
  }

  /** Occlusion is the drop in the predicted class's probability when the token is left out. */
  @Test
  void explain_occlusionIsTheDropWithoutTheToken() {
    String text = "filler3 alphaword1 filler5 betaword2 filler19";
    Explanation e = model.explain(text);
    String label = e.prediction().label();
    float full = model.predict(text).probability(label);
    for (int i = 0; i < e.tokens().size(); i++) {
      List<String> rest = new ArrayList<>(e.tokens());
      rest.remove(i);
      float without = model.predict(String.join(" ", rest)).probability(label);
      assertEquals(full - without, e.occlusion()[i], "token " + i);
    }
    assertNull(model.explain("filler3").occlusion(), "one token: nothing is left without it");
  }

  @Test
  void explain_givesEveryStepOfEveryLayerWithNamedGates() throws Exception {
    Explanation e = model.explain("filler3 alphaword1 filler5");
    assertEquals(List.of("reset", "update", "new"), e.gateNames());
    assertEquals(1, e.steps().size());
    Explanation.Steps s = e.steps().get(0);
    assertEquals(3 * 12, s.hidden().length);
    assertEquals(3 * 3 * 12, s.gates().length);
    for (float g : s.gates()) {
      assertTrue(g >= -1f && g <= 1f, "activations lie in [-1, 1]: " + g);
    }
    Map<String, Object> json = Json.parseObject(Json.write(e.toJson()));
    assertEquals(3, ((List<?>) json.get("tokens")).size());
    Map<?, ?> layer = (Map<?, ?>) ((List<?>) json.get("layers")).get(0);
    assertEquals("forward", layer.get("direction"));
    assertEquals(3, ((List<?>) ((Map<?, ?>) layer.get("gates")).get("update")).size());
    assertEquals(12, ((List<?>) ((List<?>) layer.get("hidden")).get(2)).size());
  }

  @Test
  void explain_emptyText_isRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.explain("   "));
    assertEquals("the text is empty (it has no tokens)", e.getMessage());
    assertFalse(model.explain("filler3 filler5").unknown()[0]);
  }
}
