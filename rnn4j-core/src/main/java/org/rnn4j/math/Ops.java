package org.rnn4j.math;

/**
 * Element-wise and reduction helpers over flat arrays. Simple maps are plain loops (C2 vectorises
 * them); reductions, which C2 will not reorder, go through {@link VectorOps} when available.
 */
public final class Ops {
  private Ops() {}

  /** Grows {@code a} to at least {@code n} elements (by 1.5x), keeping no contents. */
  public static float[] ensure(float[] a, int n) {
    if (a != null && a.length >= n) {
      return a;
    }
    int cur = a == null ? 0 : a.length;
    return new float[Math.max(n, cur + (cur >> 1))];
  }

  /** y[yo..yo+n) += x[xo..xo+n). */
  public static void add(float[] x, int xo, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] += x[xo + i];
    }
  }

  /** y += alpha·x. */
  public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] += alpha * x[xo + i];
    }
  }

  /** x *= alpha. */
  public static void scale(float alpha, float[] x, int xo, int n) {
    for (int i = 0; i < n; i++) {
      x[xo + i] *= alpha;
    }
  }

  /** Adds vector v (cols) to each of the rows of m (rows×cols, leading dimension ld). */
  public static void addToRows(float[] m, int mo, int rows, int cols, int ld, float[] v, int vo) {
    for (int r = 0; r < rows; r++) {
      int o = mo + r * ld;
      for (int j = 0; j < cols; j++) {
        m[o + j] += v[vo + j];
      }
    }
  }

  /** dst[j] += Σ_r m[r][j] over the rows of m (rows×cols, leading dimension ld), rows in order. */
  public static void addColumnSums(float[] m, int mo, int rows, int cols, int ld, float[] dst, int dOff) {
    for (int r = 0; r < rows; r++) {
      int o = mo + r * ld;
      for (int j = 0; j < cols; j++) {
        dst[dOff + j] += m[o + j];
      }
    }
  }

  /** Σ x² in double precision. */
  public static double sumSquares(float[] x, int xo, int n) {
    return Vectorization.ENABLED ? VectorOps.sumSquares(x, xo, n) : scalarSumSquares(x, xo, n);
  }

  static double scalarSumSquares(float[] x, int xo, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      double v = x[xo + i];
      s += v * v;
    }
    return s;
  }

  /** Index of the first NaN or infinite value in x[xo..xo+n), or -1. */
  public static int firstNonFinite(float[] x, int xo, int n) {
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(x[xo + i])) {
        return i;
      }
    }
    return -1;
  }
}
