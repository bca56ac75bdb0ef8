package org.rnn4j.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Activations} over array ranges on vector lanes: the same operations in the same order, so
 * every lane equals the scalar result bit for bit.
 *
 * <p>No method here takes or returns a vector, and exp's polynomial is written out in each loop.
 * When C2 compiles a large caller it may stop inlining part-way (NodeCountInliningCutoff); a vector
 * that then crosses a call is boxed on the heap. With arrays at every boundary that cannot happen.
 * Only call when {@link Vectorization#ENABLED}.
 *
 * <p>exp's clamps are a compare and a blend, not {@code max}/{@code min}: those keep Math.max's
 * rules for NaN and signed zeros, which take C2 several instructions per lane, while a clamp gives
 * the same values (NaN compares false and passes through, as Math.max and Math.min pass it).
 */
final class VectorActivations {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
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
  private static final int EXP_BIAS = Activations.MAGIC_BITS - 127;

  private VectorActivations() {}

  /** exp over whole vectors of src into dst; returns how many elements it did. */
  static int exp(float[] src, int sOff, float[] dst, int dOff, int n) {
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector x = FloatVector.fromArray(S, src, sOff + i);
      x = x.blend(Activations.EXP_LO, x.compare(VectorOperators.LT, Activations.EXP_LO));
      x = x.blend(Activations.EXP_HI, x.compare(VectorOperators.GT, Activations.EXP_HI));
      // n from the bits of n + 1.5·2^23, not convert(F2I), which JDK 17 does not intrinsify
      FloatVector v = x.mul(Activations.LOG2E).add(Activations.MAGIC);
      FloatVector k = v.sub(Activations.MAGIC);
      FloatVector r = k.fma(NEG_LN2_HI, x);
      r = k.fma(NEG_LN2_LO, r);
      FloatVector p = P0.fma(r, P1).fma(r, P2).fma(r, P3).fma(r, P4).fma(r, P5);
      FloatVector y = p.fma(r.mul(r), r).add(1f);
      y.mul(v.reinterpretAsInts().sub(EXP_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
          .intoArray(dst, dOff + i);
    }
    return i;
  }

  /**
   * Σ exp(x[i] - shift) over x[off..off+n): the bits of {@link #exp} into a row then
   * {@link VectorOps#sum} of it (lanes in blocks of {@link VectorOps#BLOCK}, blocks and lanes added in
   * order in double, the tail's scalar exponentials last), without writing the row.
   */
  static double expSum(float[] x, int off, int n, float shift) {
    double total = 0;
    int i = 0;
    int vecEnd = n - n % L;
    FloatVector s = FloatVector.broadcast(S, shift);
    float[] lanes = new float[L];
    while (i < vecEnd) {
      int end = Math.min(vecEnd, i + VectorOps.BLOCK);
      FloatVector acc = FloatVector.zero(S);
      for (; i < end; i += L) {
        FloatVector x0 = FloatVector.fromArray(S, x, off + i).sub(s);
        x0 = x0.blend(Activations.EXP_LO, x0.compare(VectorOperators.LT, Activations.EXP_LO));
        x0 = x0.blend(Activations.EXP_HI, x0.compare(VectorOperators.GT, Activations.EXP_HI));
        FloatVector v = x0.mul(Activations.LOG2E).add(Activations.MAGIC);
        FloatVector k = v.sub(Activations.MAGIC);
        FloatVector r = k.fma(NEG_LN2_HI, x0);
        r = k.fma(NEG_LN2_LO, r);
        FloatVector p = P0.fma(r, P1).fma(r, P2).fma(r, P3).fma(r, P4).fma(r, P5);
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        acc = acc.add(y.mul(v.reinterpretAsInts().sub(EXP_BIAS).lanewise(VectorOperators.LSHL, 23)
            .reinterpretAsFloats()));
      }
      acc.intoArray(lanes, 0); // lane(l) with a variable l is not intrinsified: it copies the vector out
      for (float l : lanes) {
        total += l;
      }
    }
    for (; i < n; i++) {
      total += Activations.exp(x[off + i] - shift);
    }
    return total;
  }

  /** sigmoid over the whole vectors of n elements of each row (ld apart), in place; returns how many of each it did. */
  static int sigmoid(float[] a, int off, int n, int rows, int ld) {
    int bound = S.loopBound(n);
    for (int row = 0; row < rows; row++) {
      for (int i = 0, base = off + row * ld; i < bound; i += L) {
        FloatVector x = FloatVector.fromArray(S, a, base + i).neg();
        x = x.blend(Activations.EXP_LO, x.compare(VectorOperators.LT, Activations.EXP_LO));
        x = x.blend(Activations.EXP_HI, x.compare(VectorOperators.GT, Activations.EXP_HI));
        FloatVector v = x.mul(Activations.LOG2E).add(Activations.MAGIC);
        FloatVector k = v.sub(Activations.MAGIC);
        FloatVector r = k.fma(NEG_LN2_HI, x);
        r = k.fma(NEG_LN2_LO, r);
        FloatVector p = P0.fma(r, P1).fma(r, P2).fma(r, P3).fma(r, P4).fma(r, P5);
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        FloatVector e = y.mul(v.reinterpretAsInts().sub(EXP_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
        ONE.div(e.add(1f)).intoArray(a, base + i);
      }
    }
    return bound;
  }

  /** tanh over the whole vectors of n elements of each row of src into dst; returns how many of each it did. */
  static int tanh(float[] src, int sOff, float[] dst, int dOff, int n, int rows, int lds, int ldd) {
    int bound = S.loopBound(n);
    for (int row = 0; row < rows; row++) {
      for (int i = 0, s0 = sOff + row * lds, d0 = dOff + row * ldd; i < bound; i += L) {
        FloatVector x = FloatVector.fromArray(S, src, s0 + i);
        FloatVector ax = x.abs();
        FloatVector z = x.mul(x);
        FloatVector q = T0.fma(z, T1).fma(z, T2).fma(z, T3).fma(z, T4);
        FloatVector small = q.mul(z).fma(x, x);
        // exp(2|x|), as in exp() above; 2|x| >= 0, so only the upper clamp can apply
        FloatVector x2 = ax.add(ax);
        x2 = x2.blend(Activations.EXP_HI, x2.compare(VectorOperators.GT, Activations.EXP_HI));
        FloatVector v = x2.mul(Activations.LOG2E).add(Activations.MAGIC);
        FloatVector k = v.sub(Activations.MAGIC);
        FloatVector r = k.fma(NEG_LN2_HI, x2);
        r = k.fma(NEG_LN2_LO, r);
        FloatVector p = P0.fma(r, P1).fma(r, P2).fma(r, P3).fma(r, P4).fma(r, P5);
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        FloatVector e = y.mul(v.reinterpretAsInts().sub(EXP_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
        FloatVector big = ONE.sub(TWO.div(e.add(1f)));
        VectorMask<Float> isSmall = ax.compare(VectorOperators.LT, Activations.TANH_SMALL);
        FloatVector t = big.blend(small, isSmall);
        // copySign(t, x): the magnitude of t with the sign bit of x
        IntVector sign = x.reinterpretAsInts().and(0x80000000);
        t.reinterpretAsInts().and(0x7FFFFFFF).or(sign).reinterpretAsFloats().intoArray(dst, d0 + i);
      }
    }
    return bound;
  }
}
