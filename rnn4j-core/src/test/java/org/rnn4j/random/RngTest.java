package org.rnn4j.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RngTest {
  @Test
  void sameSeed_sameSequence() {
    Rng a = new Rng(42);
    Rng b = new Rng(42);
    for (int i = 0; i < 100; i++) {
      assertEquals(a.nextLong(), b.nextLong());
    }
    assertNotEquals(new Rng(1).nextLong(), new Rng(2).nextLong());
  }

  @Test
  void state_resumesTheSequence() {
    Rng a = new Rng(7);
    for (int i = 0; i < 13; i++) {
      a.nextGaussian();
    }
    Rng b = Rng.fromState(a.state());
    for (int i = 0; i < 50; i++) {
      assertEquals(a.nextDouble(), b.nextDouble());
    }
  }

  @Test
  void nextInt_isUniformWithinBound() {
    Rng r = new Rng(3);
    int[] counts = new int[7];
    for (int i = 0; i < 70_000; i++) {
      counts[r.nextInt(7)]++;
    }
    for (int c : counts) {
      assertTrue(Math.abs(c - 10_000) < 500, "count " + c); // > 5 standard deviations
    }
  }

  @Test
  void gaussian_hasUnitMoments() {
    Rng r = new Rng(5);
    double s = 0;
    double s2 = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      double g = r.nextGaussian();
      s += g;
      s2 += g * g;
    }
    assertEquals(0, s / n, 0.01);
    assertEquals(1, s2 / n, 0.01);
  }

  @Test
  void shuffle_isAPermutation() {
    int[] a = {0, 1, 2, 3, 4, 5, 6, 7};
    new Rng(9).shuffle(a);
    int[] sorted = a.clone();
    java.util.Arrays.sort(sorted);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, sorted);
  }

  @Test
  void nextInt_rejectsNonPositiveBound() {
    assertEquals("bound must be positive, got 0",
        assertThrows(IllegalArgumentException.class, () -> new Rng(1).nextInt(0)).getMessage());
  }

  @Test
  void fromState_rejectsWrongLength() {
    assertThrows(IllegalArgumentException.class, () -> Rng.fromState(new long[3]));
  }
}
