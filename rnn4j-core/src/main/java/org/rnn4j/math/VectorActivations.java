package org.rnn4j.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Activations} on vector lanes: the same operations in the same order, so every lane equals
 * the scalar result bit for bit. Only call when {@link Vectorization#ENABLED}.
 */
public final class VectorActivations {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
  private static final FloatVector TWO = FloatVector.broadcast(S, 2f);
  private static final FloatVector NEG_LN2_HI = FloatVector.broadcast(S, -Activations.LN2_HI);
  private static final FloatVector NEG_LN2_LO = FloatVector.broadcast(S, -Activations.LN2_LO);
  private static final FloatVector P0 = FloatVector.broadcast(S, Activations.P0);
  private static final FloatVector P1 = FloatVector.broadcast(S, Activations.P1);
  private static final FloatVector P2 = FloatVector.broadcast(S, Activations.P2);
  private static final FloatVector P3 = FloatVector.broadcast(S, Activations.P3);
  private static final FloatVector P4 = FloatVector.broadcast(S, Activations.P4);
  private static final FloatVector P5 = FloatVector.broadcast(S, Activations.P5);
  private static final FloatVector T0 = FloatVector.broadcast(S, Activations.T0);
  private static final FloatVector T1 = FloatVector.broadcast(S, Activations.T1);
  private static final FloatVector T2 = FloatVector.broadcast(S, Activations.T2);
  private static final FloatVector T3 = FloatVector.broadcast(S, Activations.T3);
  private static final FloatVector T4 = FloatVector.broadcast(S, Activations.T4);

  private VectorActivations() {}

  public static FloatVector exp(FloatVector x) {
    x = x.max(Activations.EXP_LO).min(Activations.EXP_HI);
    FloatVector n = x.mul(Activations.LOG2E).add(Activations.MAGIC).sub(Activations.MAGIC);
    FloatVector r = n.fma(NEG_LN2_HI, x);
    r = n.fma(NEG_LN2_LO, r);
    FloatVector z = r.mul(r);
    FloatVector p = P0.fma(r, P1);
    p = p.fma(r, P2);
    p = p.fma(r, P3);
    p = p.fma(r, P4);
    p = p.fma(r, P5);
    FloatVector y = p.fma(z, r).add(1f);
    IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
    return y.mul(bits.reinterpretAsFloats());
  }

  public static FloatVector sigmoid(FloatVector x) {
    return ONE.div(exp(x.neg()).add(1f));
  }

  public static FloatVector tanh(FloatVector x) {
    FloatVector ax = x.abs();
    FloatVector z = x.mul(x);
    FloatVector p = T0.fma(z, T1);
    p = p.fma(z, T2);
    p = p.fma(z, T3);
    p = p.fma(z, T4);
    FloatVector small = p.mul(z).fma(x, x);
    FloatVector big = ONE.sub(TWO.div(exp(ax.add(ax)).add(1f)));
    VectorMask<Float> isSmall = ax.compare(VectorOperators.LT, Activations.TANH_SMALL);
    FloatVector t = big.blend(small, isSmall);
    // copySign(t, x): the magnitude of t with the sign bit of x
    IntVector sign = x.reinterpretAsInts().and(0x80000000);
    return t.reinterpretAsInts().and(0x7FFFFFFF).or(sign).reinterpretAsFloats();
  }
}
