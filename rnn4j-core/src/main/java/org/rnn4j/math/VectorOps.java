package org.rnn4j.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API reductions for {@link Ops}. */
final class VectorOps {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int BLOCK = 1024;

  private VectorOps() {}

  /** Σ x²: float lanes within blocks of 1024, blocks summed in double (error ~1e-6 relative). */
  static double sumSquares(float[] x, int xo, int n) {
    double total = 0;
    int i = 0;
    int vecEnd = n - n % S.length();
    while (i < vecEnd) {
      int end = Math.min(vecEnd, i + BLOCK);
      FloatVector acc = FloatVector.zero(S);
      for (; i < end; i += S.length()) {
        FloatVector v = FloatVector.fromArray(S, x, xo + i);
        acc = v.fma(v, acc);
      }
      total += acc.reduceLanes(VectorOperators.ADD);
    }
    for (; i < n; i++) {
      double v = x[xo + i];
      total += v * v;
    }
    return total;
  }
}
