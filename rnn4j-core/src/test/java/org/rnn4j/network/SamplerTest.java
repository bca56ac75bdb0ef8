package org.rnn4j.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SamplerTest {
  // softmax ≈ [0.032, 0.087, 0.237, 0.644] for ids 0..3, plus id 4 with the largest logit.
  private static final float[] LOGITS = {0f, 1f, 2f, 3f, 9f};

  @Test
  void greedy_picksArgmaxAmongAllowed() {
    assertEquals(4, Sampler.greedy(5).sample(LOGITS, 0));
    assertEquals(3, Sampler.greedy(5, 4).sample(LOGITS, 0));
    assertEquals(2, Sampler.greedy(3).sample(new float[] {7, 7, 0, 1, 2}, 2));
  }

  @Test
  void random_neverEmitsExcludedIds() {
    Sampler s = Sampler.random(5.0, 0, 1, 1, 5, 4, 0);
    for (int i = 0; i < 5000; i++) {
      int id = s.sample(LOGITS, 0);
      assertNotEquals(4, id);
      assertNotEquals(0, id);
    }
  }

  /** Frequencies match softmax(logits / T) within 5 standard errors over 40,000 draws. */
  @Test
  void random_followsTemperedSoftmax() {
    for (double temp : new double[] {0.5, 1.0, 2.0}) {
      Sampler s = Sampler.random(temp, 0, 1, 42, 5, 4);
      int n = 40_000;
      int[] counts = new int[5];
      for (int i = 0; i < n; i++) {
        counts[s.sample(LOGITS, 0)]++;
      }
      double z = 0;
      for (int j = 0; j < 4; j++) {
        z += Math.exp(LOGITS[j] / temp);
      }
      for (int j = 0; j < 4; j++) {
        double p = Math.exp(LOGITS[j] / temp) / z;
        double se = Math.sqrt(p * (1 - p) / n);
        assertEquals(p, counts[j] / (double) n, 5 * se + 1e-9, "T=" + temp + " id " + j);
      }
      assertEquals(0, counts[4]);
    }
  }

  @Test
  void topK_keepsOnlyTheKMostLikely() {
    Sampler s = Sampler.random(1.0, 2, 1, 3, 5, 4);
    int[] counts = new int[5];
    for (int i = 0; i < 20_000; i++) {
      counts[s.sample(LOGITS, 0)]++;
    }
    assertEquals(0, counts[0] + counts[1]);
    // Renormalised over {2, 3}: p(3) = e / (1 + e) ≈ 0.731.
    assertEquals(Math.E / (1 + Math.E), counts[3] / 20_000.0, 0.02);
  }

  @Test
  void topP_keepsTheSmallestNucleus() {
    // p(3) ≈ 0.644 < 0.7, so the nucleus for 0.7 is {3, 2}; for 0.5 it is {3} alone.
    Sampler wide = Sampler.random(1.0, 0, 0.7, 3, 5, 4);
    Sampler narrow = Sampler.random(1.0, 0, 0.5, 3, 5, 4);
    boolean sawTwo = false;
    for (int i = 0; i < 5000; i++) {
      int a = wide.sample(LOGITS, 0);
      assertTrue(a == 2 || a == 3, "id " + a);
      sawTwo |= a == 2;
      assertEquals(3, narrow.sample(LOGITS, 0));
    }
    assertTrue(sawTwo);
  }

  @Test
  void random_sameSeed_sameSequence() {
    Sampler a = Sampler.random(1.0, 0, 1, 9, 5);
    Sampler b = Sampler.random(1.0, 0, 1, 9, 5);
    for (int i = 0; i < 100; i++) {
      assertEquals(a.sample(LOGITS, 0), b.sample(LOGITS, 0));
    }
  }

  @Test
  void random_nonPositiveTemperature_isRefused() {
    for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Sampler.random(t, 0, 1, 1, 5));
      assertTrue(e.getMessage().startsWith("temperature must be > 0"), e.getMessage());
    }
  }

  @Test
  void random_outOfRangeTopKOrTopP_isRefused() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Sampler.random(1, -1, 1, 1, 5))
        .getMessage().startsWith("topK must be >= 0"));
    for (double p : new double[] {0, -0.1, 1.5, Double.NaN}) {
      assertTrue(assertThrows(IllegalArgumentException.class, () -> Sampler.random(1, 0, p, 1, 5))
          .getMessage().startsWith("topP must be in (0, 1]"));
    }
  }

  @Test
  void constructor_everyTokenExcluded_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> Sampler.greedy(2, 0, 1));
  }
}
