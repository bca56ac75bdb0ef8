package org.rnn4j.math;

/**
 * exp, sigmoid and tanh in float, as fixed sequences of IEEE operations (add, multiply, fma, bit
 * shifts). {@link VectorActivations} performs the very same sequence on vector lanes, so a value
 * is bit-identical whichever path computes it, in every JIT tier and on every JDK. (The Vector
 * API's own EXP and TANH are SVML intrinsics once C2 compiles them but a different Java fallback
 * before that; training would then depend on JIT timing and could not resume bit-identically.)
 *
 * <p>Kernels apply them to whole array ranges ({@link #sigmoid(float[], int, int)},
 * {@link #tanh(float[], int, float[], int, int)}): a vector value never crosses a call, which on JDK 17
 * is what keeps C2 from boxing vectors inside large fused loops.
 *
 * <p>exp is Cephes' expf (range reduction by n·ln2 in two parts, degree-5 polynomial), accurate to
 * about 1 ulp over [-87, 88], clamped outside. tanh uses Cephes' odd polynomial below 0.625 and
 * 1 - 2/(e^{2|x|} + 1) above; sigmoid is 1/(1 + e^{-x}). Errors stay below 2e-7 absolute.
 */
public final class Activations {
  static final float EXP_LO = -87f;
  static final float EXP_HI = 88f;
  static final float LOG2E = 1.44269504088896341f;
  static final float MAGIC = 12582912f; // 1.5·2^23: adding and subtracting it rounds to an integer
  static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
  static final float LN2_HI = 0.693359375f;
  static final float LN2_LO = -2.12194440e-4f;
  static final float P0 = 1.9875691500e-4f;
  static final float P1 = 1.3981999507e-3f;
  static final float P2 = 8.3334519073e-3f;
  static final float P3 = 4.1665795894e-2f;
  static final float P4 = 1.6666665459e-1f;
  static final float P5 = 5.0000001201e-1f;
  static final float TANH_SMALL = 0.625f;
  static final float T0 = -5.70498872745e-3f;
  static final float T1 = 2.06390887954e-2f;
  static final float T2 = -5.37397155531e-2f;
  static final float T3 = 1.33314422036e-1f;
  static final float T4 = -3.33332819422e-1f;

  private Activations() {}

  public static float exp(float x) {
    x = Math.min(Math.max(x, EXP_LO), EXP_HI);
    // v = n + 1.5·2^23 holds the integer n in its low mantissa bits: n = bits(v) - bits(MAGIC).
    float v = x * LOG2E + MAGIC;
    float n = v - MAGIC;
    int ni = Float.floatToRawIntBits(v) - MAGIC_BITS;
    float r = Math.fma(n, -LN2_HI, x);
    r = Math.fma(n, -LN2_LO, r);
    float z = r * r;
    float p = Math.fma(P0, r, P1);
    p = Math.fma(p, r, P2);
    p = Math.fma(p, r, P3);
    p = Math.fma(p, r, P4);
    p = Math.fma(p, r, P5);
    float y = Math.fma(p, z, r) + 1f;
    return y * Float.intBitsToFloat((ni + 127) << 23);
  }

  public static float sigmoid(float x) {
    return 1f / (exp(-x) + 1f);
  }

  /** dst[dOff..dOff+n) = exp(src[sOff..sOff+n)), on the Vector API when enabled. */
  public static void exp(float[] src, int sOff, float[] dst, int dOff, int n) {
    int done = Vectorization.ENABLED ? VectorActivations.exp(src, sOff, dst, dOff, n) : 0;
    for (int i = done; i < n; i++) {
      dst[dOff + i] = exp(src[sOff + i]);
    }
  }

  /**
   * Σ exp(x[i] - shift) over x[off..off+n) in double, with float exponentials: equal bit for bit to
   * {@link #exp} of the shifted values into a row and then {@link Ops#sum} of that row, in one pass
   * that writes nothing (a row of a large vocabulary is read once instead of five times).
   */
  public static double expSum(float[] x, int off, int n, float shift) {
    if (Vectorization.ENABLED) {
      return VectorActivations.expSum(x, off, n, shift);
    }
    double total = 0;
    for (int i = 0; i < n; i++) {
      total += exp(x[off + i] - shift);
    }
    return total;
  }

  /** a[off..off+n) = sigmoid(a[off..off+n)), on the Vector API when enabled. */
  public static void sigmoid(float[] a, int off, int n) {
    sigmoid(a, off, n, 1, n);
  }

  /**
   * sigmoid in place over n elements of each of {@code rows} rows, ld apart: one pass over a time step's
   * rows gives the CPU many independent chains where a call per row gave it a few.
   */
  public static void sigmoid(float[] a, int off, int n, int rows, int ld) {
    int done = Vectorization.ENABLED ? VectorActivations.sigmoid(a, off, n, rows, ld) : 0;
    for (int r = 0; r < rows; r++) {
      for (int i = off + r * ld + done, end = off + r * ld + n; i < end; i++) {
        a[i] = sigmoid(a[i]);
      }
    }
  }

  /** dst[dOff..dOff+n) = tanh(src[sOff..sOff+n)); src and dst may be the same range. */
  public static void tanh(float[] src, int sOff, float[] dst, int dOff, int n) {
    tanh(src, sOff, dst, dOff, n, 1, n, n);
  }

  /** tanh over n elements of each of {@code rows} rows, src rows lds apart and dst rows ldd apart. */
  public static void tanh(float[] src, int sOff, float[] dst, int dOff, int n, int rows, int lds, int ldd) {
    int done = Vectorization.ENABLED ? VectorActivations.tanh(src, sOff, dst, dOff, n, rows, lds, ldd) : 0;
    for (int r = 0; r < rows; r++) {
      for (int i = done; i < n; i++) {
        dst[dOff + r * ldd + i] = tanh(src[sOff + r * lds + i]);
      }
    }
  }

  public static float tanh(float x) {
    float ax = Math.abs(x);
    float t;
    if (ax < TANH_SMALL) {
      float z = x * x;
      float p = Math.fma(T0, z, T1);
      p = Math.fma(p, z, T2);
      p = Math.fma(p, z, T3);
      p = Math.fma(p, z, T4);
      t = Math.fma(p * z, x, x);
    } else {
      t = 1f - 2f / (exp(ax + ax) + 1f);
    }
    return Math.copySign(t, x); // tanh is odd; this also keeps tanh(-0) = -0
  }
}
