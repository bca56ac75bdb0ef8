package org.rnn4j.math;

/**
 * The B operand (k×n) of repeated products, laid out once for the vector GEMM kernel: column panels
 * as wide as its micro-kernels ({@link #panelVectors}: 6 vectors while they fit, then at most one
 * each of 4, 2 and 1, except that a last 8 are two of 4), each stored k rows deep and contiguous,
 * then the last n mod lanes columns as a (k × rest) block. A micro-kernel then reads one
 * sequential stream instead of striding across B's rows (BENCHMARKS.md has the measurements).
 * Weights are packed once per version and reused by every time step.
 *
 * <p>Without the Vector API the packed form is plain row-major B. The source array is kept for the
 * native BLAS, which takes B as it is stored; it must not change while this packing is in use.
 */
public final class PackedMatrix {
  /**
   * Width in vectors of the panel that starts where {@code remaining} vectors of B are left: the
   * widest micro-kernel of {@link VectorGemmKernel} that fits, but 4 + 4 rather than 6 + 2 for the
   * last 8 (128 columns: an LSTM's gates at hidden 32, the input side at 128), because the 2-vector
   * kernel loads 6 operands per 8 fmas. Depends on nothing else, so a walk from any panel start
   * meets the panels a walk from column 0 made.
   */
  static int panelVectors(int remaining) {
    if (remaining >= 6 && remaining != 8) {
      return 6;
    }
    return remaining >= 4 ? 4 : remaining >= 2 ? 2 : 1;
  }

  /**
   * Column splits of a packed product fall on multiples of this many columns (one widest panel) up
   * to {@link #lastSplit}, so that every part walks whole panels.
   */
  static int splitAlignment() {
    return 6 * Vectorization.lanes();
  }

  /** The last column a split may fall on: the start of a closing 4 + 4, else n. */
  int lastSplit() {
    int vectors = vectorCols / Vectorization.lanes();
    return panels && vectors >= 8 && vectors % 6 == 2 ? vectorCols - 8 * Vectorization.lanes() : n;
  }

  final int k;
  final int n;
  /** Columns [0, vectorCols) are in panels; the rest in the tail block at {@code vectorCols * k}. */
  final int vectorCols;
  final boolean panels;
  final float[] data;
  final float[] src;
  final int srcOff;
  final int srcLd;
  final boolean srcTransposed;
  /**
   * When every value in the panels is a bfloat16 ({@link Bf16}; weights rounded for inference): the
   * panels of an even number of vectors again, two values per int, for the batch-1 kernels, which are
   * bound by reading B. In a panel of w columns from j, row kk, int {@code j·k/2 + kk·w/2 + p·lanes + l}
   * holds column {@code 2p·lanes + l} in its low half and {@code (2p+1)·lanes + l} in its high half.
   * Null otherwise.
   */
  final int[] pairs;

  private PackedMatrix(boolean transposed, int k, int n, float[] src, int srcOff, int srcLd, float[] reuse) {
    if (k < 0 || n < 0) {
      throw new IllegalArgumentException("packed matrix sizes must be >= 0, got k=" + k + " n=" + n);
    }
    long last = transposed ? srcOff + (long) (n - 1) * srcLd + k : srcOff + (long) (k - 1) * srcLd + n;
    if (k > 0 && n > 0 && (srcOff < 0 || srcLd < (transposed ? k : n) || last > src.length)) {
      throw new IllegalArgumentException("B (" + k + "x" + n + (transposed ? ", transposed" : "")
          + ", offset " + srcOff + ", leading dimension " + srcLd + ") does not fit in an array of " + src.length);
    }
    this.k = k;
    this.n = n;
    this.panels = Vectorization.ENABLED;
    this.vectorCols = panels ? n - n % Vectorization.lanes() : 0;
    this.src = src;
    this.srcOff = srcOff;
    this.srcLd = srcLd;
    this.srcTransposed = transposed;
    int size = Math.multiplyExact(k, n);
    this.data = reuse != null && reuse.length == size ? reuse : new float[size];
    fill();
    this.pairs = panels && vectorCols > 0 && allBf16(data, vectorCols * k) ? pair() : null;
  }

  private static boolean allBf16(float[] a, int n) {
    for (int i = 0; i < n; i++) {
      if (!Bf16.exact(a[i])) {
        return false;
      }
    }
    return true;
  }

  private int[] pair() {
    int lanes = Vectorization.lanes();
    int[] out = new int[vectorCols * k / 2];
    for (int j = 0, w; j < vectorCols; j += w) {
      w = panelVectors((vectorCols - j) / lanes) * lanes;
      if ((w / lanes) % 2 != 0) {
        continue; // a 1-vector panel keeps its floats
      }
      for (int kk = 0; kk < k; kk++) {
        int from = j * k + kk * w;
        int to = j * k / 2 + kk * w / 2;
        for (int p = 0; p < w / lanes / 2; p++) {
          for (int l = 0; l < lanes; l++) {
            int lo = Float.floatToRawIntBits(data[from + 2 * p * lanes + l]) >>> 16;
            int hi = Float.floatToRawIntBits(data[from + (2 * p + 1) * lanes + l]) & 0xFFFF0000;
            out[to + p * lanes + l] = hi | lo;
          }
        }
      }
    }
    return out;
  }

  /** Whether the batch-1 kernels read this matrix as bfloat16 pairs ({@link Bf16}). */
  public boolean bf16() {
    return pairs != null;
  }

  /**
   * Packs B, stored (k×n) with leading dimension ld, or with {@code transposed} Bᵀ stored (n×k):
   * the weight W (n×k) of a product x·Wᵀ packs without a transposed copy in between.
   */
  public static PackedMatrix of(boolean transposed, int k, int n, float[] b, int off, int ld) {
    return new PackedMatrix(transposed, k, n, b, off, ld, null);
  }

  /** The same packing redone from the (changed) source, reusing this one's storage. */
  public PackedMatrix refreshed() {
    return new PackedMatrix(srcTransposed, k, n, src, srcOff, srcLd, data);
  }

  /** Rows of B (the inner dimension of the product). */
  public int rows() {
    return k;
  }

  /** Columns of B. */
  public int cols() {
    return n;
  }

  private void fill() {
    if (!panels) {
      copy(0, n, 0, n);
      return;
    }
    int lanes = Vectorization.lanes();
    for (int j = 0, w; j < vectorCols; j += w) {
      w = panelVectors((vectorCols - j) / lanes) * lanes;
      copy(j, j + w, j * k, w);
    }
    copy(vectorCols, n, vectorCols * k, n - vectorCols);
  }

  /** Columns [j0, j1) of B into data from {@code at}, row kk at at + kk·width. */
  private void copy(int j0, int j1, int at, int width) {
    // Loops in the source's order, so the reads stream.
    if (srcTransposed) {
      for (int j = j0; j < j1; j++) {
        int from = srcOff + j * srcLd;
        for (int kk = 0, to = at + j - j0; kk < k; kk++, to += width) {
          data[to] = src[from + kk];
        }
      }
    } else {
      for (int kk = 0; kk < k; kk++) {
        System.arraycopy(src, srcOff + kk * srcLd + j0, data, at + kk * width, j1 - j0);
      }
    }
  }
}
