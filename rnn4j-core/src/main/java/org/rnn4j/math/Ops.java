package org.rnn4j.math;

/**
 * Element-wise and reduction helpers over flat arrays. Maps over two arrays and reductions go
 * through {@link VectorOps} when available: C2 will not reorder a reduction, and it leaves a map
 * scalar when it cannot prove that its two arrays differ (BENCHMARKS.md, "What made the
 * difference": two-array maps on vectors). Every lane does the scalar operations,
 * so the bits are the same either way.
 */
public final class Ops {
  /** Elements of m below which a column sum stays on the calling thread. */
  private static final long COLUMN_SUMS_PARALLEL = 1 << 16;
  /** Runs of groups whose column sums {@link #sumGroups} adds separately; two threads here. */
  private static final int SUM_PARTS = 2;

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
    int i = Vectorization.ENABLED ? VectorOps.add(x, xo, y, yo, n) : 0;
    for (; i < n; i++) {
      y[yo + i] += x[xo + i];
    }
  }

  /** out[oo..oo+n) = x[xo..xo+n) + y[yo..yo+n). */
  public static void sum(float[] x, int xo, float[] y, int yo, float[] out, int oo, int n) {
    int i = Vectorization.ENABLED ? VectorOps.sum(x, xo, y, yo, out, oo, n) : 0;
    for (; i < n; i++) {
      out[oo + i] = x[xo + i] + y[yo + i];
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
      add(v, vo, m, mo + r * ld, cols);
    }
  }

  /**
   * Group sums: row s of dst (leading dimension ldd) = Σ of the rows members[start[s] ..
   * start[s+1]) of src (cols wide, leading dimension lds), in that order, for s in [0, groups), and
   * their column sums added to sums (and to sums2 when not null) without reading dst again (tens of
   * megabytes for a large batch): each of {@link #SUM_PARTS} runs of groups holding equal numbers of members
   * (one frequent token can own hundreds of rows) adds its finished rows, still in cache, in order
   * to its own zeroed row of partial (scratch of {@link #groupSumScratch} floats); then sums[j] +=
   * partial[p][j] for p ascending. The runs are fixed, not one per thread, and each group is one
   * chain, so the bits do not depend on the thread count. An empty group leaves its row of dst alone.
   */
  public static void sumGroups(float[] src, int srcOff, int lds, int cols, int[] start, int[] members, int groups,
                               float[] dst, int dstOff, int ldd,
                               float[] sums, int sOff, float[] sums2, int s2Off, float[] partial) {
    int rows = start[groups];
    java.util.Arrays.fill(partial, 0, SUM_PARTS * cols, 0f);
    Parallel.PartTask run = (p, total) -> {
      int lo = firstGroupAtOrAfter(start, groups, (int) ((long) rows * p / total));
      int hi = firstGroupAtOrAfter(start, groups, (int) ((long) rows * (p + 1) / total));
      sumGroupRange(src, srcOff, lds, cols, start, members, lo, hi, dst, dstOff, ldd, partial, p * cols);
    };
    if ((long) rows * cols < COLUMN_SUMS_PARALLEL) {
      for (int p = 0; p < SUM_PARTS; p++) {
        run.run(p, SUM_PARTS);
      }
    } else {
      Parallel.run(SUM_PARTS, run);
    }
    for (int p = 0; p < SUM_PARTS; p++) {
      add(partial, p * cols, sums, sOff, cols);
      if (sums2 != null) {
        add(partial, p * cols, sums2, s2Off, cols);
      }
    }
  }

  /** Floats of scratch {@link #sumGroups} needs for column sums over cols columns. */
  public static int groupSumScratch(int cols) {
    return SUM_PARTS * cols;
  }

  /** The first group whose members begin at or after member index m (groups when none does). */
  private static int firstGroupAtOrAfter(int[] start, int groups, int m) {
    int lo = 0;
    int hi = groups;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (start[mid] < m) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static void sumGroupRange(float[] src, int srcOff, int lds, int cols, int[] start, int[] members,
                                    int g0, int g1, float[] dst, int dstOff, int ldd, float[] partial, int pOff) {
    for (int s = g0; s < g1; s++) {
      int d = dstOff + s * ldd;
      int m = start[s];
      if (m == start[s + 1]) {
        continue;
      }
      System.arraycopy(src, srcOff + members[m] * lds, dst, d, cols);
      for (int end = start[s + 1], i = m + 1; i < end; i++) {
        add(src, srcOff + members[i] * lds, dst, d, cols);
      }
      add(dst, d, partial, pOff, cols);
    }
  }

  /** dst[j] += Σ_r m[r][j] over the rows of m (rows×cols, leading dimension ld), rows in order. */
  public static void addColumnSums(float[] m, int mo, int rows, int cols, int ld, float[] dst, int dOff) {
    addColumnSums(m, mo, rows, cols, ld, dst, dOff, null, 0);
  }

  /**
   * Like {@link #addColumnSums(float[], int, int, int, int, float[], int)} into dst and, when not
   * null, the same sums into dst2 (LSTM's two bias gradients): one read of m for both. Each sum is
   * still one chain over the rows in order, so threads split the columns without changing a bit.
   */
  public static void addColumnSums(float[] m, int mo, int rows, int cols, int ld,
                                   float[] dst, int dOff, float[] dst2, int d2Off) {
    if ((long) rows * cols < COLUMN_SUMS_PARALLEL) {
      columnSums(m, mo, rows, 0, cols, ld, dst, dOff, dst2, d2Off);
      return;
    }
    int grain = Math.max(Vectorization.lanes(), (int) (COLUMN_SUMS_PARALLEL / rows));
    Parallel.forRange(cols, grain, Vectorization.lanes(),
        (lo, hi) -> columnSums(m, mo, rows, lo, hi, ld, dst, dOff, dst2, d2Off));
  }

  private static void columnSums(float[] m, int mo, int rows, int j0, int j1, int ld,
                                 float[] dst, int dOff, float[] dst2, int d2Off) {
    int j = Vectorization.ENABLED ? VectorOps.columnSums(m, mo, rows, j0, j1, ld, dst, dOff, dst2, d2Off) : j0;
    for (int r = 0; r < rows; r++) {
      int o = mo + r * ld;
      for (int c = j; c < j1; c++) {
        dst[dOff + c] += m[o + c];
      }
      if (dst2 != null) {
        for (int c = j; c < j1; c++) {
          dst2[d2Off + c] += m[o + c];
        }
      }
    }
  }

  /** Σ x² in double precision. */
  public static double sumSquares(float[] x, int xo, int n) {
    return Vectorization.ENABLED ? VectorOps.sumSquares(x, xo, n) : scalarSumSquares(x, xo, n);
  }

  /** Σ x in double precision, of float partial sums per vector lane and block when vectorised. */
  public static double sum(float[] x, int xo, int n) {
    if (Vectorization.ENABLED) {
      return VectorOps.sum(x, xo, n);
    }
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += x[xo + i];
    }
    return s;
  }

  /** The largest of x[xo..xo+n) (NaN when one is NaN, -∞ when n = 0), on lanes when enabled. */
  public static float max(float[] x, int xo, int n) {
    if (Vectorization.ENABLED) {
      return VectorOps.max(x, xo, n);
    }
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, x[xo + i]);
    }
    return max;
  }

  static double scalarSumSquares(float[] x, int xo, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      double v = x[xo + i];
      s += v * v;
    }
    return s;
  }

  /** y[yo..yo+n) = fma(alpha, x[xo..xo+n), y): one rounding per element, on lanes when enabled. */
  public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
    int i = Vectorization.ENABLED ? VectorOps.axpy(alpha, x, xo, y, yo, n) : 0;
    for (; i < n; i++) {
      y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
    }
  }

  /**
   * out[oo + r] = Σ_j v[vo + j]·x[xo + r·stride + j] for r in [0, rows): each one fma chain over j
   * ascending from 0, the bits of one plain loop per row. Four rows advance together, so that
   * their chains overlap instead of each fma waiting for the one before it.
   */
  public static void dotRows(float[] v, int vo, float[] x, int xo, int stride, int rows, int n, float[] out, int oo) {
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      int x0 = xo + r * stride;
      int x1 = x0 + stride;
      int x2 = x1 + stride;
      int x3 = x2 + stride;
      float s0 = 0f;
      float s1 = 0f;
      float s2 = 0f;
      float s3 = 0f;
      for (int j = 0; j < n; j++) {
        float w = v[vo + j];
        s0 = Math.fma(w, x[x0 + j], s0);
        s1 = Math.fma(w, x[x1 + j], s1);
        s2 = Math.fma(w, x[x2 + j], s2);
        s3 = Math.fma(w, x[x3 + j], s3);
      }
      out[oo + r] = s0;
      out[oo + r + 1] = s1;
      out[oo + r + 2] = s2;
      out[oo + r + 3] = s3;
    }
    for (; r < rows; r++) {
      int x0 = xo + r * stride;
      float s0 = 0f;
      for (int j = 0; j < n; j++) {
        s0 = Math.fma(v[vo + j], x[x0 + j], s0);
      }
      out[oo + r] = s0;
    }
  }

  /** The first i in [from, to) whose x[i] is not below cut (NaN is not), or to; on lanes when enabled. */
  public static int firstNotBelow(float[] x, int from, int to, float cut) {
    int i = Vectorization.ENABLED ? VectorOps.firstNotBelow(x, from, to, cut) : from;
    while (i < to && x[i] < cut) {
      i++;
    }
    return i;
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
