package org.rnn4j.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked GEMM on the Vector API. The main micro-kernel keeps 4 rows × 6 vectors of
 * accumulators (24 of the 32 AVX-512 registers): per step of k it loads 6 vectors of B and
 * broadcasts 4 elements of A for 24 fused multiply-adds, enough to keep the FMA unit busy where a
 * 4 × 2 block is not (BENCHMARKS.md, "GEMM and cell-step microbenchmarks"). Narrower kernels (4,
 * 2, 1 vectors; 1 row) cover the edges, and masked one-vector kernels the last n mod lanes columns
 * (a vocabulary of 7,878 leaves 6, which element by element cost many times their share).
 *
 * <p>K is cut into blocks that keep a B panel in cache; accumulators continue the same fma chain
 * across blocks through C. Every element is therefore one chain over k in ascending order, whatever
 * kernel or block computes it, so results never depend on blocking or threading. Micro-kernels take
 * arrays and return nothing: a vector returned from a call C2 did not inline would be boxed. They
 * take B's row stride, so the same code serves row-major B and {@link PackedMatrix} panels.
 *
 * <p>Accumulators always start from a load of their initial values, blended with zero when the chain
 * starts at 0, and that choice comes in as a float: a kernel holds no branch. C2 compiles a branch it
 * has not yet seen taken as a trap, and the first call that went the other way made it recompile the
 * kernel (JDK 17); one such recompilation was seen leaving 14 of its 24 stores as calls on boxed
 * vectors. The initial values are C's, or for a product with a bias the bias row (row stride 0): a
 * large output's C is far from cache, and loading it first stalls every block of rows
 * (BENCHMARKS.md, "Translation").
 *
 * <p>The file is long because it is one kernel: the main micro-kernel and its edge variants share
 * one chain order, and keeping them together keeps them comparable with {@link ScalarGemmKernel}.
 */
final class VectorGemmKernel implements GemmKernel {
  static final VectorGemmKernel INSTANCE = new VectorGemmKernel();
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final VectorSpecies<Integer> I = S.withLanes(int.class);
  private static final int HIGH_HALF = 0xFFFF0000;
  /**
   * Rows per block when A is read down its columns (a weight gradient's Aᵀ) and B is at most
   * {@link #NARROW_B} columns wide: each step of k reads a new cache line of A, and with 8 rows
   * the next block re-reads those lines while they are still cached. On wider B (512 columns and
   * more) each block re-streams a wider panel of B, and the usual row block wins instead
   * (BENCHMARKS.md, "What made the difference": loop order and row blocks chosen by operand).
   */
  private static final int MC_TRANSPOSED_A = 8;
  private static final int NARROW_B = 256;

  @Override
  public void gemm(int m, int n, int k, float[] a, int aOff, int sam, int sak,
                   float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    blocked(m, 0, n, n, k, a, aOff, sam, sak, b, bOff, ldb, false, null, 0, beta, c, cOff, ldc);
  }

  /**
   * Columns [j0, j1) of C = beta·C + A·B for a packed B (see {@link PackedMatrix}); j0 and j1 are
   * multiples of {@link PackedMatrix#splitAlignment()} up to {@link PackedMatrix#lastSplit()}, or j1
   * is B's last column, so that the panels walked here are the panels packed. A is (m×k) with
   * leading dimension lda. With a bias (n values from biasOff; beta is then 1), every row's chains
   * start at the bias instead of at C.
   */
  void gemmPacked(int m, int j0, int j1, float[] a, int aOff, int lda, PackedMatrix b, float[] bias, int biasOff,
                  float beta, float[] c, int cOff, int ldc) {
    if (m == 1 && b.pairs != null && bias == null) {
      j0 = pairedRow(j0, j1, a, aOff, b, beta, c, cOff);
    }
    blocked(m, j0, j1, b.n, b.k, a, aOff, lda, 1, b.data, b.vectorCols * b.k - b.vectorCols, b.n - b.vectorCols,
        true, bias, biasOff, beta, c, cOff, ldc);
  }

  /**
   * One row over B's bfloat16 pairs ({@link PackedMatrix#pairs}), from panel j0 on while the panels
   * have an even number of vectors; returns where it stopped (a 1-vector panel, the tail or j1), for
   * the float kernels to finish. A row is bound by reading B, and the pairs halve that. Each element is
   * the float kernels' chain over all of k (one row's K blocks continue through C, which changes no
   * bit) on the same values, since a bfloat16 widens exactly: the same bits.
   */
  private static int pairedRow(int j0, int j1, float[] a, int aOff, PackedMatrix b, float beta, float[] c,
                               int cOff) {
    float fromZero = beta == 0f ? 1f : 0f;
    int end = Math.min(j1, b.vectorCols);
    int j = j0;
    while (j < end) {
      int v = PackedMatrix.panelVectors((b.vectorCols - j) / L);
      int pi = j * b.k / 2;
      switch (v) {
        case 6: pairs1x6(b.k, a, aOff, b.pairs, pi, fromZero, c, cOff + j); break;
        case 4: pairs1x4(b.k, a, aOff, b.pairs, pi, fromZero, c, cOff + j); break;
        case 2: pairs1x2(b.k, a, aOff, b.pairs, pi, fromZero, c, cOff + j); break;
        default: return j;
      }
      j += v * L;
    }
    return j;
  }

  private static void pairs1x6(int k, float[] a, int ai, int[] p, int pi, float fromZero, float[] c, int ci) {
    VectorMask<Float> clear = FloatVector.broadcast(S, fromZero).compare(VectorOperators.NE, 0f);
    FloatVector x0 = FloatVector.fromArray(S, c, ci).blend(0f, clear);
    FloatVector x1 = FloatVector.fromArray(S, c, ci + L).blend(0f, clear);
    FloatVector x2 = FloatVector.fromArray(S, c, ci + 2 * L).blend(0f, clear);
    FloatVector x3 = FloatVector.fromArray(S, c, ci + 3 * L).blend(0f, clear);
    FloatVector x4 = FloatVector.fromArray(S, c, ci + 4 * L).blend(0f, clear);
    FloatVector x5 = FloatVector.fromArray(S, c, ci + 5 * L).blend(0f, clear);
    for (int kk = 0; kk < k; kk++, pi += 3 * L) {
      FloatVector a0 = FloatVector.broadcast(S, a[ai + kk]);
      IntVector p0 = IntVector.fromArray(I, p, pi);
      IntVector p1 = IntVector.fromArray(I, p, pi + L);
      IntVector p2 = IntVector.fromArray(I, p, pi + 2 * L);
      x0 = a0.fma(p0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), x0);
      x1 = a0.fma(p0.and(HIGH_HALF).reinterpretAsFloats(), x1);
      x2 = a0.fma(p1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), x2);
      x3 = a0.fma(p1.and(HIGH_HALF).reinterpretAsFloats(), x3);
      x4 = a0.fma(p2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), x4);
      x5 = a0.fma(p2.and(HIGH_HALF).reinterpretAsFloats(), x5);
    }
    x0.intoArray(c, ci);
    x1.intoArray(c, ci + L);
    x2.intoArray(c, ci + 2 * L);
    x3.intoArray(c, ci + 3 * L);
    x4.intoArray(c, ci + 4 * L);
    x5.intoArray(c, ci + 5 * L);
  }

  private static void pairs1x4(int k, float[] a, int ai, int[] p, int pi, float fromZero, float[] c, int ci) {
    VectorMask<Float> clear = FloatVector.broadcast(S, fromZero).compare(VectorOperators.NE, 0f);
    FloatVector x0 = FloatVector.fromArray(S, c, ci).blend(0f, clear);
    FloatVector x1 = FloatVector.fromArray(S, c, ci + L).blend(0f, clear);
    FloatVector x2 = FloatVector.fromArray(S, c, ci + 2 * L).blend(0f, clear);
    FloatVector x3 = FloatVector.fromArray(S, c, ci + 3 * L).blend(0f, clear);
    for (int kk = 0; kk < k; kk++, pi += 2 * L) {
      FloatVector a0 = FloatVector.broadcast(S, a[ai + kk]);
      IntVector p0 = IntVector.fromArray(I, p, pi);
      IntVector p1 = IntVector.fromArray(I, p, pi + L);
      x0 = a0.fma(p0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), x0);
      x1 = a0.fma(p0.and(HIGH_HALF).reinterpretAsFloats(), x1);
      x2 = a0.fma(p1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), x2);
      x3 = a0.fma(p1.and(HIGH_HALF).reinterpretAsFloats(), x3);
    }
    x0.intoArray(c, ci);
    x1.intoArray(c, ci + L);
    x2.intoArray(c, ci + 2 * L);
    x3.intoArray(c, ci + 3 * L);
  }

  private static void pairs1x2(int k, float[] a, int ai, int[] p, int pi, float fromZero, float[] c, int ci) {
    VectorMask<Float> clear = FloatVector.broadcast(S, fromZero).compare(VectorOperators.NE, 0f);
    FloatVector x0 = FloatVector.fromArray(S, c, ci).blend(0f, clear);
    FloatVector x1 = FloatVector.fromArray(S, c, ci + L).blend(0f, clear);
    for (int kk = 0; kk < k; kk++, pi += L) {
      FloatVector a0 = FloatVector.broadcast(S, a[ai + kk]);
      IntVector p0 = IntVector.fromArray(I, p, pi);
      x0 = a0.fma(p0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), x0);
      x1 = a0.fma(p0.and(HIGH_HALF).reinterpretAsFloats(), x1);
    }
    x0.intoArray(c, ci);
    x1.intoArray(c, ci + L);
  }

  /**
   * The blocked product over columns [j0, j1) of an n-column B. Row-major B: vector v of the column
   * block at j, row kk, is at {@code bOff + kk·ldb + j + v·L}. Packed B: a panel of w columns starting
   * at j holds its rows contiguously from {@code j·k}, so that vector is at {@code j·k + kk·w + v·L}.
   * Tail columns (j >= n - n mod L) are at {@code bOff + kk·ldb + j} in both.
   */
  private static void blocked(int m, int j0, int j1, int n, int k, float[] a, int aOff, int sam, int sak,
                              float[] b, int bOff, int ldb, boolean packed, float[] bias, int biasOff,
                              float beta, float[] c, int cOff, int ldc) {
    if (m == 0 || j0 >= j1) {
      return;
    }
    if (bias != null && k == 0) {
      biasRows(bias, biasOff, 0, m, j0, j1, c, cOff, ldc);
      return;
    }
    if (k == 0) {
      ScalarGemmKernel.columns(j0, j1, m, 0, a, aOff, sam, sak, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    if (beta != 0f && beta != 1f) {
      // Chains start at beta·C: scale C once, then every kernel continues from C.
      for (int i = 0; i < m; i++) {
        for (int j = j0; j < j1; j++) {
          c[cOff + i * ldc + j] *= beta;
        }
      }
      beta = 1f;
    }
    int vectorCols = n - n % L;
    int vectorEnd = Math.min(j1, vectorCols);
    boolean transposedA = sak != 1;
    KernelTuning tuning = KernelTuning.current(); // the blocking: never a change of results
    int kcMax = tuning.kc();
    int mc = transposedA && n <= NARROW_B ? MC_TRANSPOSED_A : tuning.mc();
    if (!transposedA && k > kcMax) {
      // Each block of rows runs through all of k while its rows of C stay in cache; k blocks
      // outermost would cycle all of C (megabytes for the input products) once per block of k.
      for (int i0 = 0; i0 < m; i0 += mc) {
        for (int k0 = 0; k0 < k; k0 += kcMax) {
          block(i0, Math.min(m, i0 + mc), k0, Math.min(kcMax, k - k0), j0, j1, vectorCols, vectorEnd, k, a, aOff, sam, sak,
              b, bOff, ldb, packed, k0 == 0 ? bias : null, biasOff, beta, c, cOff, ldc);
        }
      }
    } else {
      for (int k0 = 0; k0 < k; k0 += kcMax) {
        for (int i0 = 0; i0 < m; i0 += mc) {
          block(i0, Math.min(m, i0 + mc), k0, Math.min(kcMax, k - k0), j0, j1, vectorCols, vectorEnd, k, a, aOff, sam, sak,
              b, bOff, ldb, packed, k0 == 0 ? bias : null, biasOff, beta, c, cOff, ldc);
        }
      }
    }
  }

  /** Rows [i0, i1) × columns [j0, j1) of C over the block of kc steps of k from k0. */
  private static void block(int i0, int i1, int k0, int kc, int j0, int j1, int vectorCols, int vectorEnd, int k,
                            float[] a, int aOff, int sam, int sak, float[] b, int bOff, int ldb, boolean packed,
                            float[] bias, int biasOff, float beta, float[] c, int cOff, int ldc) {
    // 1 when the chains start at zero; a float, so that the kernels hold no branch (see the class comment)
    float fromZero = k0 == 0 && beta == 0f ? 1f : 0f;
    int aK = aOff + k0 * sak;
    int bK = bOff + k0 * ldb;
    // Where the chains start: C, or every row at the bias (row stride 0; beta is 1, so fromZero is 0).
    float[] init = bias != null ? bias : c;
    int initOff = bias != null ? biasOff : cOff;
    int ils = bias != null ? 0 : ldc;
    for (int j = j0, v; j < vectorEnd; j += v * L) {
      v = PackedMatrix.panelVectors((vectorCols - j) / L);
      int w = v * L;
      int bj = packed ? j * k + k0 * w : bK + j;
      panel(v, i0, i1, kc, a, aK, sam, sak, b, bj, packed ? w : ldb, fromZero, c, cOff + j, ldc, init, initOff + j,
          ils);
    }
    int jt = Math.max(j0, vectorEnd);
    if (jt < j1) {
      // The last n mod lanes columns: one masked vector per row, each lane still one chain over k.
      tail(i0, i1, kc, a, aK, sam, sak, b, bK + jt, ldb, j1 - jt, fromZero, c, cOff + jt, ldc, init, initOff + jt, ils);
    }
  }

  /**
   * Rows [i0, i1) of the rest (< lanes) columns from bj: 4-row blocks, then single rows, on masked vectors
   * while every vector they load or store lies inside its array, else on scalars with the same chains.
   * A masked access that reaches past the end of its array (a bias of four classes, the last rows of B
   * or C) is not always compiled to one instruction: the JDK may run it through its Java fallback, lane by
   * lane, which made a 4-class output layer a large share of a small model's inference (BENCHMARKS.md).
   */
  private static void tail(int i0, int i1, int kc, float[] a, int aK, int sam, int sak, float[] b, int bj, int rs,
                           int rest, float fromZero, float[] c, int cj, int ldc, float[] init, int ij, int ils) {
    boolean bInside = bj + (long) (kc - 1) * rs + L <= b.length;
    int i = i0;
    for (; i + 4 <= i1; i += 4) {
      if (bInside && inside(c, cj + i * ldc, 3 * ldc) && inside(init, ij + i * ils, 3 * ils)) {
        rows4xTail(kc, a, aK + i * sam, sam, sak, b, bj, rs, rest, fromZero, c, cj + i * ldc, ldc, init,
            ij + i * ils, ils);
      } else {
        scalarTail(4, kc, a, aK + i * sam, sam, sak, b, bj, rs, rest, fromZero, c, cj + i * ldc, ldc, init,
            ij + i * ils);
      }
    }
    for (; i < i1; i++) {
      if (bInside && inside(c, cj + i * ldc, 0) && inside(init, ij + i * ils, 0)) {
        rows1xTail(kc, a, aK + i * sam, sak, b, bj, rs, rest, fromZero, c, cj + i * ldc, init, ij + i * ils);
      } else {
        scalarTail(1, kc, a, aK + i * sam, sam, sak, b, bj, rs, rest, fromZero, c, cj + i * ldc, ldc, init,
            ij + i * ils);
      }
    }
  }

  /** Whether whole vectors at off and off + span lie inside the array. */
  private static boolean inside(float[] x, int off, int span) {
    return off + (long) span + L <= x.length;
  }

  /**
   * {@link #rows4xTail} or {@link #rows1xTail} on scalars: {@link ScalarGemmKernel#columns}, whose chains are
   * a lane's. Chains that start at a bias row (init is not C) start from a copy of it in C instead, with
   * the same bits.
   */
  private static void scalarTail(int rows, int kc, float[] a, int ai, int sam, int sak, float[] b, int bi, int rs,
                                 int rest, float fromZero, float[] c, int ci, int ldc, float[] init, int io) {
    if (fromZero == 0f && init != c) {
      biasRows(init, io, 0, rows, 0, rest, c, ci, ldc); // one bias row for every row
    }
    ScalarGemmKernel.columns(0, rest, rows, kc, a, ai, sam, sak, b, bi, rs, fromZero != 0f ? 0f : 1f, c, ci, ldc);
  }

  /** Columns [j0, j1) of C's rows [i0, i1) = the bias's same columns. */
  private static void biasRows(float[] bias, int biasOff, int i0, int i1, int j0, int j1, float[] c, int cOff, int ldc) {
    for (int i = i0; i < i1; i++) {
      System.arraycopy(bias, biasOff + j0, c, cOff + i * ldc + j0, j1 - j0);
    }
  }

  /** Rows [i0, i1) of one panel of v vectors, B's rows rs apart: 4-row blocks, then single rows. */
  private static void panel(int v, int i0, int i1, int kc, float[] a, int aK, int sam, int sak,
                            float[] b, int bj, int rs, float fromZero, float[] c, int cj, int ldc,
                            float[] init, int ij, int ils) {
    int i = i0;
    for (; i + 4 <= i1; i += 4) {
      int ai = aK + i * sam;
      int ci = cj + i * ldc;
      int io = ij + i * ils;
      switch (v) {
        case 6: rows4x6(kc, a, ai, sam, sak, b, bj, rs, fromZero, c, ci, ldc, init, io, ils); break;
        case 4: rows4x4(kc, a, ai, sam, sak, b, bj, rs, fromZero, c, ci, ldc, init, io, ils); break;
        case 2: rows4x2(kc, a, ai, sam, sak, b, bj, rs, fromZero, c, ci, ldc, init, io, ils); break;
        default: rows4x1(kc, a, ai, sam, sak, b, bj, rs, fromZero, c, ci, ldc, init, io, ils); break;
      }
    }
    for (; i < i1; i++) {
      int ai = aK + i * sam;
      int ci = cj + i * ldc;
      int io = ij + i * ils;
      switch (v) {
        case 6: rows1x6(kc, a, ai, sak, b, bj, rs, fromZero, c, ci, init, io); break;
        case 4: rows1x4(kc, a, ai, sak, b, bj, rs, fromZero, c, ci, init, io); break;
        case 2: rows1x2(kc, a, ai, sak, b, bj, rs, fromZero, c, ci, init, io); break;
        default: rows1x1(kc, a, ai, sak, b, bj, rs, fromZero, c, ci, init, io); break;
      }
    }
  }

  private static void rows4x6(int kc, float[] a, int ai, int sam, int sak, float[] b, int bi, int rs,
                              float fromZero, float[] c, int ci, int ldc, float[] init, int io,
                              int ils) {
    VectorMask<Float> clear = FloatVector.broadcast(S, fromZero).compare(VectorOperators.NE, 0f);
    FloatVector x00 = FloatVector.fromArray(S, init, io).blend(0f, clear);
    FloatVector x01 = FloatVector.fromArray(S, init, io + L).blend(0f, clear);
    FloatVector x02 = FloatVector.fromArray(S, init, io + 2 * L).blend(0f, clear);
    FloatVector x03 = FloatVector.fromArray(S, init, io + 3 * L).blend(0f, clear);
    FloatVector x04 = FloatVector.fromArray(S, init, io + 4 * L).blend(0f, clear);
    FloatVector x05 = FloatVector.fromArray(S, init, io + 5 * L).blend(0f, clear);
    FloatVector x10 = FloatVector.fromArray(S, init, io + 1 * ils).blend(0f, clear);
    FloatVector x11 = FloatVector.fromArray(S, init, io + 1 * ils + L).blend(0f, clear);
    FloatVector x12 = FloatVector.fromArray(S, init, io + 1 * ils + 2 * L).blend(0f, clear);
    FloatVector x13 = FloatVector.fromArray(S, init, io + 1 * ils + 3 * L).blend(0f, clear);
    FloatVector x14 = FloatVector.fromArray(S, init, io + 1 * ils + 4 * L).blend(0f, clear);
    FloatVector x15 = FloatVector.fromArray(S, init, io + 1 * ils + 5 * L).blend(0f, clear);
    FloatVector x20 = FloatVector.fromArray(S, init, io + 2 * ils).blend(0f, clear);
    FloatVector x21 = FloatVector.fromArray(S, init, io + 2 * ils + L).blend(0f, clear);
    FloatVector x22 = FloatVector.fromArray(S, init, io + 2 * ils + 2 * L).blend(0f, clear);
    FloatVector x23 = FloatVector.fromArray(S, init, io + 2 * ils + 3 * L).blend(0f, clear);
    FloatVector x24 = FloatVector.fromArray(S, init, io + 2 * ils + 4 * L).blend(0f, clear);
    FloatVector x25 = FloatVector.fromArray(S, init, io + 2 * ils + 5 * L).blend(0f, clear);
    FloatVector x30 = FloatVector.fromArray(S, init, io + 3 * ils).blend(0f, clear);
    FloatVector x31 = FloatVector.fromArray(S, init, io + 3 * ils + L).blend(0f, clear);
    FloatVector x32 = FloatVector.fromArray(S, init, io + 3 * ils + 2 * L).blend(0f, clear);
    FloatVector x33 = FloatVector.fromArray(S, init, io + 3 * ils + 3 * L).blend(0f, clear);
    FloatVector x34 = FloatVector.fromArray(S, init, io + 3 * ils + 4 * L).blend(0f, clear);
    FloatVector x35 = FloatVector.fromArray(S, init, io + 3 * ils + 5 * L).blend(0f, clear);
    for (int kk = 0; kk < kc; kk++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L);
      FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * L);
      FloatVector b4 = FloatVector.fromArray(S, b, bi + 4 * L);
      FloatVector b5 = FloatVector.fromArray(S, b, bi + 5 * L);
      FloatVector a0 = FloatVector.broadcast(S, a[ai]);
      x00 = a0.fma(b0, x00);
      x01 = a0.fma(b1, x01);
      x02 = a0.fma(b2, x02);
      x03 = a0.fma(b3, x03);
      x04 = a0.fma(b4, x04);
      x05 = a0.fma(b5, x05);
      FloatVector a1 = FloatVector.broadcast(S, a[ai + sam]);
      x10 = a1.fma(b0, x10);
      x11 = a1.fma(b1, x11);
      x12 = a1.fma(b2, x12);
      x13 = a1.fma(b3, x13);
      x14 = a1.fma(b4, x14);
      x15 = a1.fma(b5, x15);
      FloatVector a2 = FloatVector.broadcast(S, a[ai + 2 * sam]);
      x20 = a2.fma(b0, x20);
      x21 = a2.fma(b1, x21);
      x22 = a2.fma(b2, x22);
      x23 = a2.fma(b3, x23);
      x24 = a2.fma(b4, x24);
      x25 = a2.fma(b5, x25);
      FloatVector a3 = FloatVector.broadcast(S, a[ai + 3 * sam]);
      x30 = a3.fma(b0, x30);
      x31 = a3.fma(b1, x31);
      x32 = a3.fma(b2, x32);
      x33 = a3.fma(b3, x33);
      x34 = a3.fma(b4, x34);
      x35 = a3.fma(b5, x35);
      ai += sak;
      bi += rs;
    }
    x00.intoArray(c, ci);
    x01.intoArray(c, ci + L);
    x02.intoArray(c, ci + 2 * L);
    x03.intoArray(c, ci + 3 * L);
    x04.intoArray(c, ci + 4 * L);
    x05.intoArray(c, ci + 5 * L);
    x10.intoArray(c, ci + 1 * ldc);
    x11.intoArray(c, ci + 1 * ldc + L);
    x12.intoArray(c, ci + 1 * ldc + 2 * L);
    x13.intoArray(c, ci + 1 * ldc + 3 * L);
    x14.intoArray(c, ci + 1 * ldc + 4 * L);
    x15.intoArray(c, ci + 1 * ldc + 5 * L);
    x20.intoArray(c, ci + 2 * ldc);
    x21.intoArray(c, ci + 2 * ldc + L);
    x22.intoArray(c, ci + 2 * ldc + 2 * L);
    x23.intoArray(c, ci + 2 * ldc + 3 * L);
    x24.intoArray(c, ci + 2 * ldc + 4 * L);
    x25.intoArray(c, ci + 2 * ldc + 5 * L);
    x30.intoArray(c, ci + 3 * ldc);
    x31.intoArray(c, ci + 3 * ldc + L);
    x32.intoArray(c, ci + 3 * ldc + 2 * L);
    x33.intoArray(c, ci + 3 * ldc + 3 * L);
    x34.intoArray(c, ci + 3 * ldc + 4 * L);
    x35.intoArray(c, ci + 3 * ldc + 5 * L);
  }

  private static void rows4x4(int kc, float[] a, int ai, int sam, int sak, float[] b, int bi, int rs,
                              float fromZero, float[] c, int ci, int ldc, float[] init, int io,
                              int ils) {
    VectorMask<Float> clear = FloatVector.broadcast(S, fromZero).compare(VectorOperators.NE, 0f);
    FloatVector x00 = FloatVector.fromArray(S, init, io).blend(0f, clear);
    FloatVector x01 = FloatVector.fromArray(S, init, io + L).blend(0f, clear);
    FloatVector x02 = FloatVector.fromArray(S, init, io + 2 * L).blend(0f, clear);
    FloatVector x03 = FloatVector.fromArray(S, init, io + 3 * L).blend(0f, clear);
    FloatVector x10 = FloatVector.fromArray(S, init, io + 1 * ils).blend(0f, clear);
    FloatVector x11 = FloatVector.fromArray(S, init, io + 1 * ils + L).blend(0f, clear);
    FloatVector x12 = FloatVector.fromArray(S, init, io + 1 * ils + 2 * L).blend(0f, clear);
    FloatVector x13 = FloatVector.fromArray(S, init, io + 1 * ils + 3 * L).blend(0f, clear);
    FloatVector x20 = FloatVector.fromArray(S, init, io + 2 * ils).blend(0f, clear);
    FloatVector x21 = FloatVector.fromArray(S, init, io + 2 * ils + L).blend(0f, clear);
    FloatVector x22 = FloatVector.fromArray(S, init, io + 2 * ils + 2 * L).blend(0f, clear);
    FloatVector x23 = FloatVector.fromArray(S, init, io + 2 * ils + 3 * L).blend(0f, clear);
    FloatVector x30 = FloatVector.fromArray(S, init, io + 3 * ils).blend(0f, clear);
    FloatVector x31 = FloatVector.fromArray(S, init, io + 3 * ils + L).blend(0f, clear);
    FloatVector x32 = FloatVector.fromArray(S, init, io + 3 * ils + 2 * L).blend(0f, clear);
    FloatVector x33 = FloatVector.fromArray(S, init, io + 3 * ils + 3 * L).blend(0f, clear);
    for (int kk = 0; kk < kc; kk++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L);
      FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * L);
      FloatVector a0 = FloatVector.broadcast(S, a[ai]);
      x00 = a0.fma(b0, x00);
      x01 = a0.fma(b1, x01);
      x02 = a0.fma(b2, x02);
      x03 = a0.fma(b3, x03);
      FloatVector a1 = FloatVector.broadcast(S, a[ai + sam]);
      x10 = a1.fma(b0, x10);
      x11 = a1.fma(b1, x11);
      x12 = a1.fma(b2, x12);
      x13 = a1.fma(b3, x13);
      FloatVector a2 = FloatVector.broadcast(S, a[ai + 2 * sam]);
      x20 = a2.fma(b0, x20);
      x21 = a2.fma(b1, x21);
      x22 = a2.fma(b2, x22);
      x23 = a2.fma(b3, x23);
      FloatVector a3 = FloatVector.broadcast(S, a[ai + 3 * sam]);
      x30 = a3.fma(b0, x30);
      x31 = a3.fma(b1, x31);
      x32 = a3.fma(b2, x32);
      x33 = a3.fma(b3, x33);
      ai += sak;
      bi += rs;
    }
    x00.intoArray(c, ci);
    x01.intoArray(c, ci + L);
    x02.intoArray(c, ci + 2 * L);
    x03.intoArray(c, ci + 3 * L);
    x10.intoArray(c, ci + 1 * ldc);
    x11.intoArray(c, ci + 1 * ldc + L);
    x12.intoArray(c, ci + 1 * ldc + 2 * L);
    x13.intoArray(c, ci + 1 * ldc + 3 * L);
    x20.intoArray(c, ci + 2 * ldc);
    x21.intoArray(c, ci + 2 * ldc + L);
    x22.intoArray(c, ci + 2 * ldc + 2 * L);
    x23.intoArray(c, ci + 2 * ldc + 3 * L);
    x30.intoArray(c, ci + 3 * ldc);
    x31.intoArray(c, ci + 3 * ldc + L);
    x32.intoArray(c, ci + 3 * ldc + 2 * L);
    x33.intoArray(c, ci + 3 * ldc + 3 * L);
  }

  private static void rows4x2(int kc, float[] a, int ai, int sam, int sak, float[] b, int bi, int rs,
                              float fromZero, float[] c, int ci, int ldc, float[] init, int io,
                              int ils) {
    VectorMask<Float> clear = FloatVector.broadcast(S, fromZero).compare(VectorOperators.NE, 0f);
    FloatVector x00 = FloatVector.fromArray(S, init, io).blend(0f, clear);
    FloatVector x01 = FloatVector.fromArray(S, init, io + L).blend(0f, clear);
    FloatVector x10 = FloatVector.fromArray(S, init, io + 1 * ils).blend(0f, clear);
    FloatVector x11 = FloatVector.fromArray(S, init, io + 1 * ils + L).blend(0f, clear);
    FloatVector x20 = FloatVector.fromArray(S, init, io + 2 * ils).blend(0f, clear);
    FloatVector x21 = FloatVector.fromArray(S, init, io + 2 * ils + L).blend(0f, clear);
    FloatVector x30 = FloatVector.fromArray(S, init, io + 3 * ils).blend(0f, clear);
    FloatVector x31 = FloatVector.fromArray(S, init, io + 3 * ils + L).blend(0f, clear);
    for (int kk = 0; kk < kc; kk++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector a0 = FloatVector.broadcast(S, a[ai]);
      x00 = a0.fma(b0, x00);
      x01 = a0.fma(b1, x01);
      FloatVector a1 = FloatVector.broadcast(S, a[ai + sam]);
      x10 = a1.fma(b0, x10);
      x11 = a1.fma(b1, x11);
      FloatVector a2 = FloatVector.broadcast(S, a[ai + 2 * sam]);
      x20 = a2.fma(b0, x20);
      x21 = a2.fma(b1, x21);
      FloatVector a3 = FloatVector.broadcast(S, a[ai + 3 * sam]);
      x30 = a3.fma(b0, x30);
      x31 = a3.fma(b1, x31);
      ai += sak;
      bi += rs;
    }
    x00.intoArray(c, ci);
    x01.intoArray(c, ci + L);
    x10.intoArray(c, ci + 1 * ldc);
    x11.intoArray(c, ci + 1 * ldc + L);
    x20.intoArray(c, ci + 2 * ldc);
    x21.intoArray(c, ci + 2 * ldc + L);
    x30.intoArray(c, ci + 3 * ldc);
    x31.intoArray(c, ci + 3 * ldc + L);
  }

  private static void rows4x1(int kc, float[] a, int ai, int sam, int sak, float[] b, int bi, int rs,
                              float fromZero, float[] c, int ci, int ldc, float[] init, int io,
                              int ils) {
    VectorMask<Float> clear = FloatVector.broadcast(S, fromZero).compare(VectorOperators.NE, 0f);
    FloatVector x00 = FloatVector.fromArray(S, init, io).blend(0f, clear);
    FloatVector x10 = FloatVector.fromArray(S, init, io + 1 * ils).blend(0f, clear);
    FloatVector x20 = FloatVector.fromArray(S, init, io + 2 * ils).blend(0f, clear);
    FloatVector x30 = FloatVector.fromArray(S, init, io + 3 * ils).blend(0f, clear);
    for (int kk = 0; kk < kc; kk++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector a0 = FloatVector.broadcast(S, a[ai]);
      x00 = a0.fma(b0, x00);
      FloatVector a1 = FloatVector.broadcast(S, a[ai + sam]);
      x10 = a1.fma(b0, x10);
      FloatVector a2 = FloatVector.broadcast(S, a[ai + 2 * sam]);
      x20 = a2.fma(b0, x20);
      FloatVector a3 = FloatVector.broadcast(S, a[ai + 3 * sam]);
      x30 = a3.fma(b0, x30);
      ai += sak;
      bi += rs;
    }
    x00.intoArray(c, ci);
    x10.intoArray(c, ci + 1 * ldc);
    x20.intoArray(c, ci + 2 * ldc);
    x30.intoArray(c, ci + 3 * ldc);
  }

  private static void rows1x6(int kc, float[] a, int ai, int sak, float[] b, int bi, int rs,
                              float fromZero, float[] c, int ci, float[] init, int io) {
    VectorMask<Float> clear = FloatVector.broadcast(S, fromZero).compare(VectorOperators.NE, 0f);
    FloatVector x00 = FloatVector.fromArray(S, init, io).blend(0f, clear);
    FloatVector x01 = FloatVector.fromArray(S, init, io + L).blend(0f, clear);
    FloatVector x02 = FloatVector.fromArray(S, init, io + 2 * L).blend(0f, clear);
    FloatVector x03 = FloatVector.fromArray(S, init, io + 3 * L).blend(0f, clear);
    FloatVector x04 = FloatVector.fromArray(S, init, io + 4 * L).blend(0f, clear);
    FloatVector x05 = FloatVector.fromArray(S, init, io + 5 * L).blend(0f, clear);
    for (int kk = 0; kk < kc; kk++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L);
      FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * L);
      FloatVector b4 = FloatVector.fromArray(S, b, bi + 4 * L);
      FloatVector b5 = FloatVector.fromArray(S, b, bi + 5 * L);
      FloatVector a0 = FloatVector.broadcast(S, a[ai]);
      x00 = a0.fma(b0, x00);
      x01 = a0.fma(b1, x01);
      x02 = a0.fma(b2, x02);
      x03 = a0.fma(b3, x03);
      x04 = a0.fma(b4, x04);
      x05 = a0.fma(b5, x05);
      ai += sak;
      bi += rs;
    }
    x00.intoArray(c, ci);
    x01.intoArray(c, ci + L);
    x02.intoArray(c, ci + 2 * L);
    x03.intoArray(c, ci + 3 * L);
    x04.intoArray(c, ci + 4 * L);
    x05.intoArray(c, ci + 5 * L);
  }

  private static void rows1x4(int kc, float[] a, int ai, int sak, float[] b, int bi, int rs,
                              float fromZero, float[] c, int ci, float[] init, int io) {
    VectorMask<Float> clear = FloatVector.broadcast(S, fromZero).compare(VectorOperators.NE, 0f);
    FloatVector x00 = FloatVector.fromArray(S, init, io).blend(0f, clear);
    FloatVector x01 = FloatVector.fromArray(S, init, io + L).blend(0f, clear);
    FloatVector x02 = FloatVector.fromArray(S, init, io + 2 * L).blend(0f, clear);
    FloatVector x03 = FloatVector.fromArray(S, init, io + 3 * L).blend(0f, clear);
    for (int kk = 0; kk < kc; kk++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L);
      FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * L);
      FloatVector a0 = FloatVector.broadcast(S, a[ai]);
      x00 = a0.fma(b0, x00);
      x01 = a0.fma(b1, x01);
      x02 = a0.fma(b2, x02);
      x03 = a0.fma(b3, x03);
      ai += sak;
      bi += rs;
    }
    x00.intoArray(c, ci);
    x01.intoArray(c, ci + L);
    x02.intoArray(c, ci + 2 * L);
    x03.intoArray(c, ci + 3 * L);
  }

  private static void rows1x2(int kc, float[] a, int ai, int sak, float[] b, int bi, int rs,
                              float fromZero, float[] c, int ci, float[] init, int io) {
    VectorMask<Float> clear = FloatVector.broadcast(S, fromZero).compare(VectorOperators.NE, 0f);
    FloatVector x00 = FloatVector.fromArray(S, init, io).blend(0f, clear);
    FloatVector x01 = FloatVector.fromArray(S, init, io + L).blend(0f, clear);
    for (int kk = 0; kk < kc; kk++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector a0 = FloatVector.broadcast(S, a[ai]);
      x00 = a0.fma(b0, x00);
      x01 = a0.fma(b1, x01);
      ai += sak;
      bi += rs;
    }
    x00.intoArray(c, ci);
    x01.intoArray(c, ci + L);
  }

  private static void rows1x1(int kc, float[] a, int ai, int sak, float[] b, int bi, int rs,
                              float fromZero, float[] c, int ci, float[] init, int io) {
    VectorMask<Float> clear = FloatVector.broadcast(S, fromZero).compare(VectorOperators.NE, 0f);
    FloatVector x00 = FloatVector.fromArray(S, init, io).blend(0f, clear);
    for (int kk = 0; kk < kc; kk++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector a0 = FloatVector.broadcast(S, a[ai]);
      x00 = a0.fma(b0, x00);
      ai += sak;
      bi += rs;
    }
    x00.intoArray(c, ci);
  }

  private static void rows4xTail(int kc, float[] a, int ai, int sam, int sak, float[] b, int bi, int rs, int rest,
                                 float fromZero, float[] c, int ci, int ldc, float[] init, int io, int ils) {
    VectorMask<Float> m = S.indexInRange(0, rest);
    VectorMask<Float> clear = FloatVector.broadcast(S, fromZero).compare(VectorOperators.NE, 0f);
    FloatVector x00 = FloatVector.fromArray(S, init, io, m).blend(0f, clear);
    FloatVector x10 = FloatVector.fromArray(S, init, io + 1 * ils, m).blend(0f, clear);
    FloatVector x20 = FloatVector.fromArray(S, init, io + 2 * ils, m).blend(0f, clear);
    FloatVector x30 = FloatVector.fromArray(S, init, io + 3 * ils, m).blend(0f, clear);
    for (int kk = 0; kk < kc; kk++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi, m);
      FloatVector a0 = FloatVector.broadcast(S, a[ai]);
      x00 = a0.fma(b0, x00);
      FloatVector a1 = FloatVector.broadcast(S, a[ai + sam]);
      x10 = a1.fma(b0, x10);
      FloatVector a2 = FloatVector.broadcast(S, a[ai + 2 * sam]);
      x20 = a2.fma(b0, x20);
      FloatVector a3 = FloatVector.broadcast(S, a[ai + 3 * sam]);
      x30 = a3.fma(b0, x30);
      ai += sak;
      bi += rs;
    }
    x00.intoArray(c, ci, m);
    x10.intoArray(c, ci + 1 * ldc, m);
    x20.intoArray(c, ci + 2 * ldc, m);
    x30.intoArray(c, ci + 3 * ldc, m);
  }

  private static void rows1xTail(int kc, float[] a, int ai, int sak, float[] b, int bi, int rs, int rest,
                                 float fromZero, float[] c, int ci, float[] init, int io) {
    VectorMask<Float> m = S.indexInRange(0, rest);
    VectorMask<Float> clear = FloatVector.broadcast(S, fromZero).compare(VectorOperators.NE, 0f);
    FloatVector x00 = FloatVector.fromArray(S, init, io, m).blend(0f, clear);
    for (int kk = 0; kk < kc; kk++) {
      x00 = FloatVector.broadcast(S, a[ai]).fma(FloatVector.fromArray(S, b, bi, m), x00);
      ai += sak;
      bi += rs;
    }
    x00.intoArray(c, ci, m);
  }
}
