package org.rnn4j.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked GEMM on the Vector API: 4 rows by 2 vectors of accumulators, A broadcast one
 * element at a time, B read as contiguous vectors. K is cut into blocks that keep a B panel in L1;
 * the accumulators continue the same fma chain across blocks through C, so blocking never changes
 * a result.
 */
final class VectorGemmKernel implements GemmKernel {
  static final VectorGemmKernel INSTANCE = new VectorGemmKernel();
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int KC = 256;
  private static final int MC = 64;

  @Override
  public void gemm(int m, int n, int k, float[] a, int aOff, int sam, int sak,
                   float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    if (k == 0) {
      ScalarGemmKernel.columns(0, n, m, 0, a, aOff, sam, sak, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    int wide = n - n % (2 * L);
    int single = wide + ((n - wide) >= L ? L : 0);
    for (int k0 = 0; k0 < k; k0 += KC) {
      int kc = Math.min(KC, k - k0);
      float bt = k0 == 0 ? beta : 1f;
      int aK = aOff + k0 * sak;
      int bK = bOff + k0 * ldb;
      for (int i0 = 0; i0 < m; i0 += MC) {
        int i1 = Math.min(m, i0 + MC);
        for (int j = 0; j < wide; j += 2 * L) {
          int i = i0;
          for (; i + 4 <= i1; i += 4) {
            rows4x2(kc, a, aK + i * sam, sam, sak, b, bK + j, ldb, bt, c, cOff + i * ldc + j, ldc);
          }
          for (; i < i1; i++) {
            rows1x2(kc, a, aK + i * sam, sak, b, bK + j, ldb, bt, c, cOff + i * ldc + j);
          }
        }
        if (single > wide) {
          int i = i0;
          for (; i + 4 <= i1; i += 4) {
            rows4x1(kc, a, aK + i * sam, sam, sak, b, bK + wide, ldb, bt, c, cOff + i * ldc + wide, ldc);
          }
          for (; i < i1; i++) {
            rows1x1(kc, a, aK + i * sam, sak, b, bK + wide, ldb, bt, c, cOff + i * ldc + wide);
          }
        }
        if (single < n) {
          ScalarGemmKernel.columns(single, n, i1 - i0, kc, a, aK + i0 * sam, sam, sak,
              b, bK, ldb, bt, c, cOff + i0 * ldc, ldc);
        }
      }
    }
  }

  private static FloatVector start(float beta, float[] c, int off) {
    if (beta == 0f) {
      return FloatVector.zero(S);
    }
    FloatVector v = FloatVector.fromArray(S, c, off);
    return beta == 1f ? v : v.mul(beta);
  }

  private static void rows4x2(int kc, float[] a, int ai, int sam, int sak, float[] b, int bi, int ldb,
                              float beta, float[] c, int ci, int ldc) {
    int c1 = ci + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
    FloatVector x00 = start(beta, c, ci), x01 = start(beta, c, ci + L);
    FloatVector x10 = start(beta, c, c1), x11 = start(beta, c, c1 + L);
    FloatVector x20 = start(beta, c, c2), x21 = start(beta, c, c2 + L);
    FloatVector x30 = start(beta, c, c3), x31 = start(beta, c, c3 + L);
    for (int kk = 0; kk < kc; kk++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector v = FloatVector.broadcast(S, a[ai]);
      x00 = v.fma(b0, x00);
      x01 = v.fma(b1, x01);
      v = FloatVector.broadcast(S, a[ai + sam]);
      x10 = v.fma(b0, x10);
      x11 = v.fma(b1, x11);
      v = FloatVector.broadcast(S, a[ai + 2 * sam]);
      x20 = v.fma(b0, x20);
      x21 = v.fma(b1, x21);
      v = FloatVector.broadcast(S, a[ai + 3 * sam]);
      x30 = v.fma(b0, x30);
      x31 = v.fma(b1, x31);
      ai += sak;
      bi += ldb;
    }
    x00.intoArray(c, ci);
    x01.intoArray(c, ci + L);
    x10.intoArray(c, c1);
    x11.intoArray(c, c1 + L);
    x20.intoArray(c, c2);
    x21.intoArray(c, c2 + L);
    x30.intoArray(c, c3);
    x31.intoArray(c, c3 + L);
  }

  private static void rows1x2(int kc, float[] a, int ai, int sak, float[] b, int bi, int ldb,
                              float beta, float[] c, int ci) {
    FloatVector x0 = start(beta, c, ci), x1 = start(beta, c, ci + L);
    for (int kk = 0; kk < kc; kk++) {
      FloatVector v = FloatVector.broadcast(S, a[ai]);
      x0 = v.fma(FloatVector.fromArray(S, b, bi), x0);
      x1 = v.fma(FloatVector.fromArray(S, b, bi + L), x1);
      ai += sak;
      bi += ldb;
    }
    x0.intoArray(c, ci);
    x1.intoArray(c, ci + L);
  }

  private static void rows4x1(int kc, float[] a, int ai, int sam, int sak, float[] b, int bi, int ldb,
                              float beta, float[] c, int ci, int ldc) {
    int c1 = ci + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
    FloatVector x0 = start(beta, c, ci), x1 = start(beta, c, c1);
    FloatVector x2 = start(beta, c, c2), x3 = start(beta, c, c3);
    for (int kk = 0; kk < kc; kk++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      x0 = FloatVector.broadcast(S, a[ai]).fma(b0, x0);
      x1 = FloatVector.broadcast(S, a[ai + sam]).fma(b0, x1);
      x2 = FloatVector.broadcast(S, a[ai + 2 * sam]).fma(b0, x2);
      x3 = FloatVector.broadcast(S, a[ai + 3 * sam]).fma(b0, x3);
      ai += sak;
      bi += ldb;
    }
    x0.intoArray(c, ci);
    x1.intoArray(c, c1);
    x2.intoArray(c, c2);
    x3.intoArray(c, c3);
  }

  private static void rows1x1(int kc, float[] a, int ai, int sak, float[] b, int bi, int ldb,
                              float beta, float[] c, int ci) {
    FloatVector x0 = start(beta, c, ci);
    for (int kk = 0; kk < kc; kk++) {
      x0 = FloatVector.broadcast(S, a[ai]).fma(FloatVector.fromArray(S, b, bi), x0);
      ai += sak;
      bi += ldb;
    }
    x0.intoArray(c, ci);
  }
}
