package org.rnn4j.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API maps and reductions for {@link Ops}. */
final class VectorOps {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int BLOCK = 1024;

  private VectorOps() {}

  /** y += x over whole vectors; returns how many elements it did. */
  static int add(float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += S.length()) {
      FloatVector.fromArray(S, y, yo + i).add(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
    }
    return i;
  }

  /** out = x + y over whole vectors; returns how many elements it did. */
  static int sum(float[] x, int xo, float[] y, int yo, float[] out, int oo, int n) {
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += S.length()) {
      FloatVector.fromArray(S, x, xo + i).add(FloatVector.fromArray(S, y, yo + i)).intoArray(out, oo + i);
    }
    return i;
  }

  /**
   * Σ x²: float lanes within blocks of 1024, blocks summed in double (error ~1e-6 relative). The
   * lanes are added in a fixed order rather than with reduceLanes, whose order differs between
   * the intrinsic and its fallback.
   */
  static double sum(float[] x, int xo, int n) {
    double total = 0;
    int i = 0;
    int vecEnd = n - n % S.length();
    float[] lanes = new float[S.length()];
    while (i < vecEnd) {
      int end = Math.min(vecEnd, i + BLOCK);
      FloatVector acc = FloatVector.zero(S);
      for (; i < end; i += S.length()) {
        acc = acc.add(FloatVector.fromArray(S, x, xo + i));
      }
      acc.intoArray(lanes, 0);
      for (float l : lanes) {
        total += l;
      }
    }
    for (; i < n; i++) {
      total += x[xo + i];
    }
    return total;
  }

  /** y = fma(alpha, x, y) over whole vectors; returns how many elements it did. */
  static int axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    FloatVector a = FloatVector.broadcast(S, alpha);
    for (int bound = S.loopBound(n); i < bound; i += S.length()) {
      a.fma(FloatVector.fromArray(S, x, xo + i), FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
    }
    return i;
  }

  /**
   * Skips whole vectors of x[from..to) below cut: returns the start of the first vector holding a
   * value that is not below it (NaN is not), or where whole vectors end; the caller finishes.
   */
  static int firstNotBelow(float[] x, int from, int to, float cut) {
    int i = from;
    for (int bound = to - S.length(); i <= bound; i += S.length()) {
      if (!FloatVector.fromArray(S, x, i).compare(VectorOperators.LT, cut).allTrue()) {
        return i;
      }
    }
    return i;
  }

  /**
   * The largest of x[xo..xo+n) (NaN when one is, -∞ when n = 0) over lanes. Order does not change a
   * maximum, so four accumulators take turns: a lane max keeps Math.max's rules for NaN and signed
   * zeros in several dependent instructions, and one accumulator would wait on them.
   */
  static float max(float[] x, int xo, int n) {
    int l4 = 4 * S.length();
    int i = 0;
    float max = Float.NEGATIVE_INFINITY;
    int vecEnd = n - n % l4;
    if (vecEnd > 0) {
      FloatVector a0 = FloatVector.fromArray(S, x, xo);
      FloatVector a1 = FloatVector.fromArray(S, x, xo + S.length());
      FloatVector a2 = FloatVector.fromArray(S, x, xo + 2 * S.length());
      FloatVector a3 = FloatVector.fromArray(S, x, xo + 3 * S.length());
      for (i = l4; i < vecEnd; i += l4) {
        a0 = a0.max(FloatVector.fromArray(S, x, xo + i));
        a1 = a1.max(FloatVector.fromArray(S, x, xo + i + S.length()));
        a2 = a2.max(FloatVector.fromArray(S, x, xo + i + 2 * S.length()));
        a3 = a3.max(FloatVector.fromArray(S, x, xo + i + 3 * S.length()));
      }
      max = a0.max(a1).max(a2.max(a3)).reduceLanes(VectorOperators.MAX);
    }
    for (; i < n; i++) {
      max = Math.max(max, x[xo + i]);
    }
    return max;
  }

  static double sumSquares(float[] x, int xo, int n) {
    double total = 0;
    int i = 0;
    int vecEnd = n - n % S.length();
    float[] lanes = new float[S.length()];
    while (i < vecEnd) {
      int end = Math.min(vecEnd, i + BLOCK);
      FloatVector acc = FloatVector.zero(S);
      for (; i < end; i += S.length()) {
        FloatVector v = FloatVector.fromArray(S, x, xo + i);
        acc = v.fma(v, acc);
      }
      acc.intoArray(lanes, 0);
      for (float l : lanes) {
        total += l;
      }
    }
    for (; i < n; i++) {
      double v = x[xo + i];
      total += v * v;
    }
    return total;
  }

  /**
   * Column sums of {@link Ops#addColumnSums} over whole strips of 4 vectors in [j0, j1), held in
   * registers across all rows; returns the first column left for the scalar loop.
   */
  static int columnSums(float[] m, int mo, int rows, int j0, int j1, int ld,
                        float[] dst, int dOff, float[] dst2, int d2Off) {
    int l = S.length();
    int j = j0;
    for (; j + 4 * l <= j1; j += 4 * l) {
      FloatVector a0 = FloatVector.fromArray(S, dst, dOff + j);
      FloatVector a1 = FloatVector.fromArray(S, dst, dOff + j + l);
      FloatVector a2 = FloatVector.fromArray(S, dst, dOff + j + 2 * l);
      FloatVector a3 = FloatVector.fromArray(S, dst, dOff + j + 3 * l);
      boolean two = dst2 != null;
      FloatVector b0 = two ? FloatVector.fromArray(S, dst2, d2Off + j) : a0;
      FloatVector b1 = two ? FloatVector.fromArray(S, dst2, d2Off + j + l) : a1;
      FloatVector b2 = two ? FloatVector.fromArray(S, dst2, d2Off + j + 2 * l) : a2;
      FloatVector b3 = two ? FloatVector.fromArray(S, dst2, d2Off + j + 3 * l) : a3;
      for (int r = 0, o = mo + j; r < rows; r++, o += ld) {
        FloatVector x0 = FloatVector.fromArray(S, m, o);
        FloatVector x1 = FloatVector.fromArray(S, m, o + l);
        FloatVector x2 = FloatVector.fromArray(S, m, o + 2 * l);
        FloatVector x3 = FloatVector.fromArray(S, m, o + 3 * l);
        a0 = a0.add(x0);
        a1 = a1.add(x1);
        a2 = a2.add(x2);
        a3 = a3.add(x3);
        b0 = b0.add(x0);
        b1 = b1.add(x1);
        b2 = b2.add(x2);
        b3 = b3.add(x3);
      }
      a0.intoArray(dst, dOff + j);
      a1.intoArray(dst, dOff + j + l);
      a2.intoArray(dst, dOff + j + 2 * l);
      a3.intoArray(dst, dOff + j + 3 * l);
      if (two) {
        b0.intoArray(dst2, d2Off + j);
        b1.intoArray(dst2, d2Off + j + l);
        b2.intoArray(dst2, d2Off + j + 2 * l);
        b3.intoArray(dst2, d2Off + j + 3 * l);
      }
    }
    return j;
  }
}
