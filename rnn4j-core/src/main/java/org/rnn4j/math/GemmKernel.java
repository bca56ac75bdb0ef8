package org.rnn4j.math;

/**
 * The inner GEMM with B already in (k×n) row-major form: C = beta·C + op(A)·B. A is read through
 * strides so that the same kernel serves A and Aᵀ: element (i, kk) is at
 * {@code a[aOff + i*sam + kk*sak]}.
 */
interface GemmKernel {
  void gemm(int m, int n, int k, float[] a, int aOff, int sam, int sak,
            float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);
}
