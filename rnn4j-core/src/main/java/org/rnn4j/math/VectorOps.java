package org.rnn4j.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Vector API reductions for {@link Ops}. */
final class VectorOps {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int BLOCK = 1024;

  private VectorOps() {}

  /**
   * Σ x²: float lanes within blocks of 1024, blocks summed in double (error ~1e-6 relative). The
   * lanes are added in a fixed order rather than with reduceLanes, whose order differs between
   * the intrinsic and its fallback.
   */
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
}
