package org.rnn4j.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.random.Rng;

/**
 * Weights rounded to bfloat16 are packed a second time as pairs, which the batch-1 kernels read; since a
 * bfloat16 widens to float exactly, a row must get the very bits the float kernels give it.
 */
class Bf16PairsTest {
  private static float[] random(long seed, int n, boolean bf16) {
    Rng r = new Rng(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.uniform(-1f, 1f);
      if (bf16) {
        a[i] = Bf16.round(a[i]);
      }
    }
    return a;
  }

  @Test
  void round_nearestEvenAndSpecialValues() {
    assertEquals(Float.intBitsToFloat(0x3F810000), Bf16.round(Float.intBitsToFloat(0x3F808001)), "above half: up");
    assertEquals(Float.intBitsToFloat(0x3F800000), Bf16.round(Float.intBitsToFloat(0x3F807FFF)), "below half: down");
    assertEquals(Float.intBitsToFloat(0x3F800000), Bf16.round(Float.intBitsToFloat(0x3F808000)), "tie to even (down)");
    assertEquals(Float.intBitsToFloat(0x3F820000), Bf16.round(Float.intBitsToFloat(0x3F818000)), "tie to even (up)");
    assertTrue(Float.isNaN(Bf16.round(Float.NaN)));
    assertEquals(Float.POSITIVE_INFINITY, Bf16.round(Float.POSITIVE_INFINITY));
    assertEquals(-0f, Bf16.round(-0f));
    assertTrue(Bf16.exact(Bf16.round(0.1f)));
    assertFalse(Bf16.exact(0.1f));
  }

  @Test
  void packing_pairsOnlyWhenEveryValueIsBf16() {
    assumeTrue(Vectorization.ENABLED, "Vector API not enabled");
    assertTrue(PackedMatrix.of(true, 37, 212, random(1, 212 * 37, true), 0, 37).bf16());
    float[] w = random(1, 212 * 37, true);
    w[5] += 1e-6f;
    assertFalse(PackedMatrix.of(true, 37, 212, w, 0, 37).bf16(), "one value that is not a bfloat16");
  }

  /** n: panels 6+6+1 and a tail (212), 4+4 (128), 2 (32), 1 (16), 6 and a tail (100), a tail only (7). */
  @Test
  void gemmPacked_oneRowOverPairs_sameBitsAsTheFloatKernels() {
    assumeTrue(Vectorization.ENABLED, "Vector API not enabled");
    int k = 37;
    for (int n : new int[] {212, 128, 32, 16, 100, 7, 4 * 256}) {
      PackedMatrix b = PackedMatrix.of(true, k, n, random(n, n * k, true), 0, k);
      assertEquals(n >= 16, b.bf16(), "n=" + n);
      float[] a = random(2, k, false);
      float[] a2 = new float[2 * k];
      System.arraycopy(a, 0, a2, 0, k);
      System.arraycopy(a, 0, a2, k, k);
      int align = PackedMatrix.splitAlignment();
      int[][] ranges = {{0, n}, {Math.min(align, n), n}, {0, Math.min(align, n)}};
      for (float beta : new float[] {0f, 1f}) {
        for (int[] range : ranges) {
          float[] c0 = random(3, 2 * n, false);
          float[] expected = c0.clone(); // two equal rows: the float kernels, row by row
          VectorGemmKernel.INSTANCE.gemmPacked(2, range[0], range[1], a2, 0, k, b, null, 0, beta, expected, 0, n);
          float[] actual = c0.clone();
          VectorGemmKernel.INSTANCE.gemmPacked(1, range[0], range[1], a, 0, k, b, null, 0, beta, actual, 0, n);
          String what = "n=" + n + " beta=" + beta + " columns [" + range[0] + ", " + range[1] + ")";
          assertArrayEquals(java.util.Arrays.copyOf(expected, n), java.util.Arrays.copyOf(actual, n), what);
          if (range[1] > range[0]) {
            assertNotEquals(c0[range[0]], actual[range[0]], "computed: " + what);
          }
        }
      }
    }
  }
}
