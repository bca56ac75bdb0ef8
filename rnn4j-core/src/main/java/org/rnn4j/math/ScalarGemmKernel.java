package org.rnn4j.math;

/**
 * Plain-Java GEMM: the fallback when the Vector API is absent, and the column tail of the vector
 * kernel. {@link Math#fma} keeps every element's rounding identical to the vector lanes.
 */
final class ScalarGemmKernel implements GemmKernel {
  static final ScalarGemmKernel INSTANCE = new ScalarGemmKernel();

  @Override
  public void gemm(int m, int n, int k, float[] a, int aOff, int sam, int sak,
                   float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    columns(0, n, m, k, a, aOff, sam, sak, b, bOff, ldb, beta, c, cOff, ldc);
  }

  /** Computes columns [j0, j1) of C for all m rows. */
  static void columns(int j0, int j1, int m, int k, float[] a, int aOff, int sam, int sak,
                      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int ai = aOff + i * sam;
      int ci = cOff + i * ldc;
      for (int j = j0; j < j1; j++) {
        float acc = beta == 0f ? 0f : (beta == 1f ? c[ci + j] : beta * c[ci + j]);
        int bj = bOff + j;
        int ak = ai;
        for (int kk = 0; kk < k; kk++) {
          acc = Math.fma(a[ak], b[bj], acc);
          ak += sak;
          bj += ldb;
        }
        c[ci + j] = acc;
      }
    }
  }
}
