package org.rnn4j.math;

/**
 * Single-precision matrix multiply over row-major arrays with offsets and leading dimensions:
 *
 * <pre>C(m×n) = beta·C + op(A)(m×k) · op(B)(k×n)</pre>
 *
 * where op(X) is X or its transpose. With {@code transA}, A is stored as (k×m); with {@code transB},
 * B is stored as (n×k). Implementations compute every element of C as one fused multiply-add chain
 * over k in ascending order, starting from beta·C, so a result never depends on how the work is
 * blocked or split across threads.
 */
public interface Gemm {
  /** A short name for logs and benchmarks, e.g. {@code java-vector} or {@code native-openblas}. */
  String name();

  void gemm(boolean transA, boolean transB, int m, int n, int k,
            float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb,
            float beta, float[] c, int cOff, int ldc);
}
