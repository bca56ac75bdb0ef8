package org.rnn4j.math;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;

/**
 * GEMM through dev.ludovic.netlib's JNI binding to the system BLAS ({@code libblas.so.3}, which
 * Debian points at OpenBLAS when it is installed). Row-major C = A·B is computed as the
 * column-major product Cᵀ = Bᵀ·Aᵀ, which needs no copies.
 */
final class NativeGemm implements Gemm {
  private final BLAS blas;

  private NativeGemm(BLAS blas) {
    this.blas = blas;
  }

  /** The native GEMM, or null when no native BLAS can be loaded. */
  static NativeGemm tryLoad() {
    try {
      return new NativeGemm(NativeBLAS.getInstance());
    } catch (Throwable t) {
      return null;
    }
  }

  @Override
  public String name() {
    return "native-" + blas.getClass().getSimpleName();
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k,
                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float beta, float[] c, int cOff, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, 1f,
        b, bOff, ldb, a, aOff, lda, beta, c, cOff, ldc);
  }
}
