package org.rnn4j.math;

/**
 * The B operand (k×n) of repeated products, laid out once for the vector GEMM kernel: column panels
 * one vector wide, each stored k rows deep and contiguous, then the last n mod lanes columns as a
 * (k × rest) block. The kernel then streams each panel sequentially instead of striding across
 * B's rows: the batch-1 product (one sequence at inference) measured 20-25% faster, the batched
 * shapes the same within the noise (BENCHMARKS.md). Weights are packed once per version and reused
 * by every time step.
 *
 * <p>Without the Vector API the packed form is plain row-major B. The source array is kept for the
 * native BLAS, which takes B as it is stored; it must not change while this packing is in use.
 */
public final class PackedMatrix {
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

  /** Where element (kk, j) of B sits in {@link #data}. */
  int at(int kk, int j) {
    if (!panels) {
      return kk * n + j;
    }
    if (j < vectorCols) {
      int lanes = Vectorization.lanes();
      int q = j / lanes;
      return q * lanes * k + kk * lanes + (j - q * lanes);
    }
    return vectorCols * k + kk * (n - vectorCols) + (j - vectorCols);
  }

  private void fill() {
    // Loops in the source's order, so the reads stream.
    if (srcTransposed) {
      for (int j = 0; j < n; j++) {
        for (int kk = 0; kk < k; kk++) {
          data[at(kk, j)] = src[srcOff + j * srcLd + kk];
        }
      }
    } else {
      for (int kk = 0; kk < k; kk++) {
        for (int j = 0; j < n; j++) {
          data[at(kk, j)] = src[srcOff + kk * srcLd + j];
        }
      }
    }
  }
}
