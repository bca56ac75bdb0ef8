package org.rnn4j.optim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The Adam update on the Vector API: one pass reads g, m, v, p and writes m, v, p and g = 0. */
final class VectorAdam {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private VectorAdam() {}

  /**
   * Updates [lo, hi); returns Σ g² of the raw gradient (float lanes per call, summed in double). Without
   * {@code hasGradient} the gradient there is known to be zero: it is neither read nor cleared.
   */
  static double update(float[] p, float[] g, float[] m, float[] v, int lo, int hi, Adam.Update u,
                       boolean hasGradient) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector squares = FloatVector.zero(S);
    int i = lo;
    for (int bound = lo + S.loopBound(hi - lo); i < bound; i += S.length()) {
      FloatVector pi = FloatVector.fromArray(S, p, i).mul(u.decay);
      FloatVector raw = hasGradient ? FloatVector.fromArray(S, g, i) : zero;
      squares = raw.fma(raw, squares);
      FloatVector gi = raw.add(pi.mul(u.l2));
      FloatVector mi = FloatVector.fromArray(S, m, i).mul(u.beta1).add(gi.mul(u.oneMinusBeta1));
      FloatVector vi = FloatVector.fromArray(S, v, i).mul(u.beta2).add(gi.mul(u.oneMinusBeta2).mul(gi));
      mi.intoArray(m, i);
      vi.intoArray(v, i);
      FloatVector denom = vi.lanewise(VectorOperators.SQRT).div(u.bc2Sqrt).add(u.eps);
      pi.add(mi.mul(-u.stepSize).div(denom)).intoArray(p, i);
      if (hasGradient) {
        zero.intoArray(g, i);
      }
    }
    // Only whether the sum is finite matters (a NaN check), so lanes are summed in float, with no array.
    return squares.reduceLanes(VectorOperators.ADD) + Adam.scalarUpdate(p, g, m, v, i, hi, u, hasGradient);
  }
}
