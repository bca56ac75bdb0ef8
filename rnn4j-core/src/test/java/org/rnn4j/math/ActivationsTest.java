package org.rnn4j.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.rnn4j.random.Rng;

/**
 * Accuracy against double-precision Math over their whole useful range (measured: exp 8.0e-8
 * relative, sigmoid 8.8e-8 and tanh 7.0e-8 absolute; bounds 3e-7, 2e-7, 2e-7), and bit-identity of
 * the vector lanes with the scalar functions, which deterministic training relies on.
 */
class ActivationsTest {
  private static float[] inputs() {
    Rng r = new Rng(3);
    float[] x = new float[200_000];
    float[] special = {0f, -0f, 1e-30f, -1e-30f, 1e-8f, 0.625f, -0.625f, 0.62499994f, 9f, -9f, 20f, -20f,
        87f, -87f, 88f, 100f, -100f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MIN_VALUE};
    System.arraycopy(special, 0, x, 0, special.length);
    for (int i = special.length; i < x.length; i++) {
      x[i] = i % 2 == 0 ? r.uniform(-10f, 10f) : r.uniform(-87f, 88f);
    }
    return x;
  }

  private static double maxError(DoubleUnaryOperator ref, java.util.function.IntToDoubleFunction ours, float[] x,
                                 boolean relative) {
    double worst = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Float.isFinite(x[i]) || Math.abs(x[i]) > 87) {
        continue;
      }
      double e = ref.applyAsDouble(x[i]);
      double d = Math.abs(ours.applyAsDouble(i) - e);
      worst = Math.max(worst, relative ? d / Math.abs(e) : d);
    }
    return worst;
  }

  @Test
  void scalar_isAccurate() {
    float[] x = inputs();
    double exp = maxError(Math::exp, i -> Activations.exp(x[i]), x, true);
    double sig = maxError(v -> 1 / (1 + Math.exp(-v)), i -> Activations.sigmoid(x[i]), x, false);
    double tanh = maxError(Math::tanh, i -> Activations.tanh(x[i]), x, false);
    System.out.printf("exp %.2e rel, sigmoid %.2e abs, tanh %.2e abs%n", exp, sig, tanh);
    assertTrue(exp < 3e-7, "exp relative error " + exp);
    assertTrue(sig < 2e-7, "sigmoid error " + sig);
    assertTrue(tanh < 2e-7, "tanh error " + tanh);
  }

  @Test
  void scalar_limitsAndSigns() {
    assertEquals(1f, Activations.tanh(50f));
    assertEquals(-1f, Activations.tanh(Float.NEGATIVE_INFINITY));
    assertTrue(Activations.sigmoid(-200f) < 1e-37f, "sigmoid(-200) is 0 up to the clamp of exp");
    assertEquals(1f, Activations.sigmoid(200f));
    assertEquals(-0f, Activations.tanh(-0f));
    assertTrue(Float.isNaN(Activations.tanh(Float.NaN)));
    assertTrue(Float.isNaN(Activations.sigmoid(Float.NaN)));
  }

  @Test
  void expSum_equalsExpIntoARowThenOpsSumBitForBit() {
    Rng rng = new Rng(21);
    for (int n : new int[] {1, 15, 16, 1023, 1024, 1040, 2049, 7878}) {
      float[] x = new float[n + 4];
      for (int i = 0; i < x.length; i++) {
        x[i] = rng.nextFloat() * 40f - 30f;
      }
      float shift = 3.25f;
      float[] row = new float[n];
      for (int i = 0; i < n; i++) {
        row[i] = x[4 + i] - shift;
      }
      Activations.exp(row, 0, row, 0, n);
      assertEquals(Ops.sum(row, 0, n), Activations.expSum(x, 4, n, shift), "n=" + n);
    }
  }

  @Test
  void arrayPasses_equalScalarBitForBit() {
    assumeTrue(Vectorization.ENABLED, "Vector API not enabled");
    float[] x = inputs();
    int n = x.length - 3; // a tail that is not a whole vector
    float[] e = new float[x.length];
    float[] g = new float[x.length];
    float[] t = new float[x.length];
    // Run several times so that both the interpreted and the compiled code are compared.
    for (int rep = 0; rep < 3; rep++) {
      Activations.exp(x, 0, e, 0, n);
      System.arraycopy(x, 0, g, 0, n);
      Activations.sigmoid(g, 0, n);
      Activations.tanh(x, 0, t, 0, n);
      for (int i = 0; i < n; i++) {
        assertEquals(Float.floatToIntBits(Activations.exp(x[i])), Float.floatToIntBits(e[i]), "exp(" + x[i] + ")");
        assertEquals(Float.floatToIntBits(Activations.sigmoid(x[i])), Float.floatToIntBits(g[i]), "sigmoid(" + x[i] + ")");
        assertEquals(Float.floatToIntBits(Activations.tanh(x[i])), Float.floatToIntBits(t[i]), "tanh(" + x[i] + ")");
      }
    }
  }
}
