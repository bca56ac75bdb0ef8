package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.math.Vectorization;
import org.rnn4j.random.Rng;

/**
 * The Vector API cell kernels against the scalar reference on one row of H = 53 (3 vectors plus a
 * tail): every value must be bit-identical, since both paths perform the same operations.
 */
class CellMathTest {
  private static final int H = 53;
  private static final float TOL = 0f;
  private final CellMath vector = Vectorization.ENABLED ? new VectorCellMath() : null;
  private final CellMath scalar = new ScalarCellMath();

  private static float[] random(long seed, int n, float scale) {
    Rng r = new Rng(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.uniform(-scale, scale);
    }
    return a;
  }

  @Test
  void lstm_vectorMatchesScalar() {
    assumeTrue(vector != null, "Vector API not enabled");
    float[] g1 = random(1, 4 * H, 4f);
    float[] g2 = g1.clone();
    float[] cp = random(2, H, 2f);
    float[] c1 = new float[H];
    float[] c2 = new float[H];
    float[] h1 = new float[H];
    float[] h2 = new float[H];
    float[] t1 = new float[H];
    float[] t2 = new float[H];
    vector.lstmForward(1, H, H, g1, 0, cp, 0, c1, 0, t1, 0, h1, 0, H);
    scalar.lstmForward(1, H, H, g2, 0, cp, 0, c2, 0, t2, 0, h2, 0, H);
    assertArrayEquals(g2, g1, TOL);
    assertArrayEquals(c2, c1, TOL);
    assertArrayEquals(t2, t1, TOL);
    assertArrayEquals(h2, h1, TOL);
    float[] dh = random(3, H, 1f);
    float[] dOut = random(4, H, 1f);
    float[] dc1 = random(5, H, 1f);
    float[] dc2 = dc1.clone();
    vector.lstmBackward(H, H, g1, 0, t1, 0, cp, 0, dh, 0, dOut, 0, dc1, 0);
    scalar.lstmBackward(H, H, g2, 0, t2, 0, cp, 0, dh, 0, dOut, 0, dc2, 0);
    assertArrayEquals(g2, g1, TOL);
    assertArrayEquals(dc2, dc1, TOL);
  }

  /**
   * One call over a step's rows equals one call per row, for whole rows and for a unit slice (units
   * [8, 8 + 37) of each row, as a unit split passes them), with h rows in a wider output (ldh).
   */
  @Test
  void lstmForward_rowsAtOnceMatchRowByRow() {
    int rows = 3;
    int ldh = 2 * H + 5;
    for (int[] slice : new int[][] {{0, H}, {8, 37}}) {
      int u0 = slice[0];
      int units = slice[1];
      float[] g1 = random(6, rows * 4 * H, 4f);
      float[] g2 = g1.clone();
      float[] cp = random(7, rows * H, 2f);
      float[] c1 = new float[rows * H];
      float[] c2 = new float[rows * H];
      float[] t1 = new float[rows * H];
      float[] t2 = new float[rows * H];
      float[] h1 = new float[rows * ldh];
      float[] h2 = new float[rows * ldh];
      CellMath math = vector != null ? vector : scalar;
      math.lstmForward(rows, units, H, g1, u0, cp, u0, c1, u0, t1, u0, h1, 1 + u0, ldh);
      for (int r = 0; r < rows; r++) {
        scalar.lstmForward(1, units, H, g2, r * 4 * H + u0, cp, r * H + u0, c2, r * H + u0, t2, r * H + u0, h2,
            1 + r * ldh + u0, ldh);
      }
      assertArrayEquals(g2, g1, TOL, "gates, units from " + u0);
      assertArrayEquals(c2, c1, TOL, "c");
      assertArrayEquals(t2, t1, TOL, "tanh c");
      assertArrayEquals(h2, h1, TOL, "h");
    }
  }

  @Test
  void gru_vectorMatchesScalar() {
    assumeTrue(vector != null, "Vector API not enabled");
    float[] gx1 = random(1, 3 * H, 3f);
    float[] gx2 = gx1.clone();
    float[] gh = random(2, 3 * H, 3f);
    float[] b = random(3, H, 1f);
    float[] hp = random(4, H, 1f);
    float[] hn1 = new float[H];
    float[] hn2 = new float[H];
    float[] h1 = new float[H];
    float[] h2 = new float[H];
    vector.gruForward(H, H, gx1, 0, gh, 0, b, 0, hp, 0, hn1, 0, h1, 0);
    scalar.gruForward(H, H, gx2, 0, gh, 0, b, 0, hp, 0, hn2, 0, h2, 0);
    assertArrayEquals(gx2, gx1, TOL);
    assertArrayEquals(hn2, hn1, TOL);
    assertArrayEquals(h2, h1, TOL);
    float[] dh1 = random(5, H, 1f);
    float[] dh2 = dh1.clone();
    float[] dOut = random(6, H, 1f);
    float[] dnx1 = new float[H];
    float[] dnx2 = new float[H];
    vector.gruBackward(H, H, gx1, 0, hn1, 0, hp, 0, dh1, 0, dOut, 0, dnx1, 0);
    scalar.gruBackward(H, H, gx2, 0, hn2, 0, hp, 0, dh2, 0, dOut, 0, dnx2, 0);
    assertArrayEquals(gx2, gx1, TOL);
    assertArrayEquals(dnx2, dnx1, TOL);
    assertArrayEquals(dh2, dh1, TOL);
  }

  @Test
  void rnn_vectorMatchesScalar() {
    assumeTrue(vector != null, "Vector API not enabled");
    for (boolean relu : new boolean[] {false, true}) {
      float[] pre = random(1, H, 3f);
      float[] h1 = new float[H];
      float[] h2 = new float[H];
      vector.rnnForward(H, relu, pre, 0, h1, 0);
      scalar.rnnForward(H, relu, pre, 0, h2, 0);
      assertArrayEquals(h2, h1, TOL);
      float[] dh = random(2, H, 1f);
      float[] dOut = random(3, H, 1f);
      float[] d1 = new float[H];
      float[] d2 = new float[H];
      vector.rnnBackward(H, relu, h1, 0, dh, 0, dOut, 0, d1, 0);
      scalar.rnnBackward(H, relu, h2, 0, dh, 0, dOut, 0, d2, 0);
      assertArrayEquals(d2, d1, TOL);
    }
  }
}
