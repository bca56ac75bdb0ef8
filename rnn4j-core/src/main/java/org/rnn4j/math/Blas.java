package org.rnn4j.math;

import java.util.Locale;

/**
 * The one entry point for matrix multiplies. Picks the implementation once, validates arguments,
 * and splits large products across {@link Parallel} workers by rows (or, for few rows, by column
 * panels); every element is computed by one thread in one fixed order, so results never depend on
 * the thread count.
 *
 * <p>{@code -Drnn4j.gemm=java|native} selects the implementation; the default is {@code java},
 * which measured faster than OpenBLAS on the skinny products that dominate recurrent networks
 * (see BENCHMARKS.md). {@code native} falls back to Java when no native BLAS loads.
 */
public final class Blas {
  /** Products below this many multiply-adds run on the calling thread. */
  private static final long PARALLEL_WORK = 1L << 18;

  private static final Gemm JAVA = JavaGemm.best();
  private static volatile Gemm current = select(System.getProperty("rnn4j.gemm", "java"));

  private Blas() {}

  private static Gemm select(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "java" -> JAVA;
      case "native" -> {
        Gemm g = NativeGemm.tryLoad();
        yield g != null ? g : JAVA;
      }
      default -> throw new IllegalArgumentException("rnn4j.gemm must be java or native, got '" + name + "'");
    };
  }

  /** The implementation in use. */
  public static Gemm current() {
    return current;
  }

  /** Switches implementation: {@code java} or {@code native}. */
  public static void use(String name) {
    current = select(name);
  }

  /** The pure-Java implementation, always available. */
  public static Gemm java() {
    return JAVA;
  }

  /** The native implementation, or null when no native BLAS loads on this machine. */
  public static Gemm nativeOrNull() {
    return NativeGemm.tryLoad();
  }

  /** C = beta·C + op(A)·op(B), parallel when large. See {@link Gemm} for the layout. */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float beta, float[] c, int cOff, int ldc) {
    check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    Gemm g = current;
    long work = (long) m * n * k;
    if (work < PARALLEL_WORK || Parallel.threads() == 1 || g != JAVA) {
      g.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    final float[] bb;
    final int bo, lb;
    if (transB) { // transpose once, not once per thread
      bb = JavaGemm.transposeToScratch(b, bOff, ldb, n, k);
      bo = 0;
      lb = n;
    } else {
      bb = b;
      bo = bOff;
      lb = ldb;
    }
    if (m >= 8 * Parallel.threads()) {
      Parallel.forRange(m, 4, 4, (lo, hi) -> g.gemm(transA, false, hi - lo, n, k,
          a, aOff + (transA ? lo : lo * lda), lda, bb, bo, lb, beta, c, cOff + lo * ldc, ldc));
    } else {
      int panel = 2 * Vectorization.lanes();
      Parallel.forRange(n, panel, panel, (lo, hi) -> g.gemm(transA, false, m, hi - lo, k,
          a, aOff, lda, bb, bo + lo, lb, beta, c, cOff + lo, ldc));
    }
  }

  /**
   * C(m×n) = beta·C + A(m×k)·B for a packed B (k×n); A row-major with leading dimension lda. Same
   * results as {@link #gemm} on B as stored, parallel when large.
   */
  public static void gemm(int m, float[] a, int aOff, int lda, PackedMatrix b,
                          float beta, float[] c, int cOff, int ldc) {
    packed(true, m, a, aOff, lda, b, null, 0, beta, c, cOff, ldc);
  }

  /** Like {@link #gemm(int, float[], int, int, PackedMatrix, float, float[], int, int)} on the calling thread. */
  public static void gemmSerial(int m, float[] a, int aOff, int lda, PackedMatrix b,
                                float beta, float[] c, int cOff, int ldc) {
    packed(false, m, a, aOff, lda, b, null, 0, beta, c, cOff, ldc);
  }

  /**
   * C(m×n) = bias + A(m×k)·B for a packed B: every row's chains start at bias[biasOff..biasOff+n),
   * the bits of copying bias into each row of C and then {@link #gemm} with beta 1. The kernels take
   * the bias as their accumulators' initial values, so C is written once and never loaded (for a
   * large output layer, megabytes per call). Parallel when large unless serial (inside a parallel
   * region).
   */
  public static void gemmBias(boolean serial, int m, float[] a, int aOff, int lda, PackedMatrix b,
                              float[] bias, int biasOff, float[] c, int cOff, int ldc) {
    checkOperand("bias", bias, biasOff, b.cols(), 1, b.cols());
    packed(!serial, m, a, aOff, lda, b, bias, biasOff, 1f, c, cOff, ldc);
  }

  private static void packed(boolean parallel, int m, float[] a, int aOff, int lda, PackedMatrix b,
                             float[] bias, int biasOff, float beta, float[] c, int cOff, int ldc) {
    int n = b.cols();
    int k = b.rows();
    if (!packedKernel()) {
      if (bias != null) {
        checkOperand("C", c, cOff, ldc, m, n);
        for (int r = 0; r < m; r++) {
          System.arraycopy(bias, biasOff, c, cOff + r * ldc, n);
        }
      }
      plainGemm(parallel, m, a, aOff, lda, b, beta, c, cOff, ldc);
      return;
    }
    check(false, false, m, n, k, a, aOff, lda, b.data, 0, n, c, cOff, ldc);
    VectorGemmKernel kernel = VectorGemmKernel.INSTANCE;
    boolean byRows = m >= 8 * Parallel.threads();
    int last = b.lastSplit(); // column splits stop here
    if (!parallel || (long) m * n * k < PARALLEL_WORK || Parallel.threads() == 1 || (!byRows && last == 0)) {
      kernel.gemmPacked(m, 0, n, a, aOff, lda, b, bias, biasOff, beta, c, cOff, ldc);
    } else if (byRows) {
      Parallel.forRange(m, 4, 4, (lo, hi) -> kernel.gemmPacked(hi - lo, 0, n,
          a, aOff + lo * lda, lda, b, bias, biasOff, beta, c, cOff + lo * ldc, ldc));
    } else {
      int panel = PackedMatrix.splitAlignment();
      Parallel.forRange(last, panel, panel, (lo, hi) -> kernel.gemmPacked(m, lo, hi == last ? n : hi,
          a, aOff, lda, b, bias, biasOff, beta, c, cOff, ldc));
    }
  }

  /** A GEMM that does not read panels: the Java scalar kernel gets B row-major, native BLAS B as stored. */
  private static void plainGemm(boolean parallel, int m, float[] a, int aOff, int lda, PackedMatrix b,
                                float beta, float[] c, int cOff, int ldc) {
    boolean asStored = current != JAVA;
    boolean transB = asStored && b.srcTransposed;
    float[] bb = asStored ? b.src : b.data;
    int bOff = asStored ? b.srcOff : 0;
    int ldb = asStored ? b.srcLd : b.cols();
    if (parallel) {
      gemm(false, transB, m, b.cols(), b.rows(), a, aOff, lda, bb, bOff, ldb, beta, c, cOff, ldc);
    } else {
      gemmSerial(false, transB, m, b.cols(), b.rows(), a, aOff, lda, bb, bOff, ldb, beta, c, cOff, ldc);
    }
  }

  private static boolean packedKernel() {
    return current == JAVA && Vectorization.ENABLED;
  }

  /** Like {@link #gemm} but always on the calling thread (for use inside a parallel region). */
  public static void gemmSerial(boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
    check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    current.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  private static void check(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException("gemm sizes must be >= 0, got m=" + m + " n=" + n + " k=" + k);
    }
    if (m == 0 || n == 0) {
      return;
    }
    int aRows = transA ? k : m, aCols = transA ? m : k;
    int bRows = transB ? n : k, bCols = transB ? k : n;
    checkOperand("A", a, aOff, lda, aRows, aCols);
    checkOperand("B", b, bOff, ldb, bRows, bCols);
    checkOperand("C", c, cOff, ldc, m, n);
  }

  private static void checkOperand(String what, float[] x, int off, int ld, int rows, int cols) {
    if (rows == 0 || cols == 0) {
      return;
    }
    if (ld < cols) {
      throw new IllegalArgumentException("leading dimension of " + what + " is " + ld
          + ", smaller than its " + cols + " columns");
    }
    long last = (long) off + (long) (rows - 1) * ld + cols;
    if (off < 0 || last > x.length) {
      throw new IllegalArgumentException(what + " (" + rows + "x" + cols + ", offset " + off
          + ", leading dimension " + ld + ") does not fit in an array of " + x.length);
    }
  }
}
