package org.rnn4j.math;

/**
 * The always-present pure-Java GEMM. Bᵀ operands are first transposed into a per-thread scratch
 * buffer so that the kernel always streams B along its rows; hot callers avoid that cost by passing
 * weights they keep pre-transposed.
 */
final class JavaGemm implements Gemm {
  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

  private final GemmKernel kernel;
  private final String name;

  JavaGemm(GemmKernel kernel, String name) {
    this.kernel = kernel;
    this.name = name;
  }

  static JavaGemm best() {
    return Vectorization.ENABLED
        ? new JavaGemm(VectorGemmKernel.INSTANCE, "java-vector")
        : new JavaGemm(ScalarGemmKernel.INSTANCE, "java-scalar");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k,
                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float beta, float[] c, int cOff, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (transB) {
      float[] packed = transposeToScratch(b, bOff, ldb, n, k);
      b = packed;
      bOff = 0;
      ldb = n;
    }
    int sam = transA ? 1 : lda;
    int sak = transA ? lda : 1;
    kernel.gemm(m, n, k, a, aOff, sam, sak, b, bOff, ldb, beta, c, cOff, ldc);
  }

  /** Bᵀ stored (n×k) with leading dimension ldb, returned as B (k×n) row-major. */
  static float[] transposeToScratch(float[] b, int bOff, int ldb, int n, int k) {
    float[][] holder = SCRATCH.get();
    int size = n * k;
    if (holder[0].length < size) {
      holder[0] = new float[size];
    }
    float[] t = holder[0];
    Matrices.transpose(b, bOff, ldb, n, k, t, 0, n);
    return t;
  }
}
