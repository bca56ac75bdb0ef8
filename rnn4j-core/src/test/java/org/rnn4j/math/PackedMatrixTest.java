package org.rnn4j.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.random.Rng;

/**
 * A packed B gives exactly the bits of the row-major product of the GEMM in use: the Java kernel
 * computes each element as the same fma chain whichever way it reads B, and native BLAS is given B
 * as stored. So these comparisons are exact, not toleranced.
 */
class PackedMatrixTest {
  static Stream<Arguments> shapes() {
    List<Arguments> list = new ArrayList<>();
    // n below, at and between multiples of 16 lanes; k across the 256-deep blocks; m = 1 (latency).
    int[][] mnk = {{1, 1, 1}, {3, 5, 7}, {1, 1024, 256}, {4, 96, 16}, {5, 33, 17}, {32, 1024, 256},
        {7, 80, 300}, {130, 48, 513}, {9, 17, 0}, {64, 200, 128}, {5, 128, 40}, {3, 325, 33}};
    for (int[] s : mnk) {
      for (boolean transposed : new boolean[] {false, true}) {
        for (float beta : new float[] {0f, 1f, 0.5f}) {
          list.add(Arguments.of(s[0], s[1], s[2], transposed, beta));
        }
      }
    }
    return list.stream();
  }

  @ParameterizedTest(name = "m={0} n={1} k={2} transposed={3} beta={4}")
  @MethodSource("shapes")
  void gemm_packedEqualsRowMajorBitForBit(int m, int n, int k, boolean transposed, float beta) {
    Rng rng = new Rng(m * 1_000_003L + n * 1009L + k);
    int lda = k + 3;
    int ldb = (transposed ? k : n) + 2;
    int ldc = n + 1;
    float[] a = random(rng, 5 + m * lda);
    float[] b = random(rng, 7 + (transposed ? n : k) * ldb);
    float[] c = random(rng, 3 + m * ldc + 4);
    float[] expected = c.clone();
    Blas.current().gemm(false, transposed, m, n, k, a, 5, lda, b, 7, ldb, beta, expected, 3, ldc);

    PackedMatrix packed = PackedMatrix.of(transposed, k, n, b, 7, ldb);
    float[] serial = c.clone();
    Blas.gemmSerial(m, a, 5, lda, packed, beta, serial, 3, ldc);
    assertArrayEquals(expected, serial, "serial");
    float[] parallel = c.clone();
    Blas.gemm(m, a, 5, lda, packed, beta, parallel, 3, ldc);
    assertArrayEquals(expected, parallel, "parallel (padding between rows untouched too)");
  }

  @ParameterizedTest(name = "m={0} n={1} k={2} transposed={3}")
  @MethodSource("shapes")
  void gemmBias_equalsTheBiasCopiedThenGemmBitForBit(int m, int n, int k, boolean transposed, float unused) {
    Rng rng = new Rng(m * 7_919L + n * 31L + k);
    int lda = k + 3;
    int ldb = (transposed ? k : n) + 2;
    int ldc = n + 1;
    float[] a = random(rng, 5 + m * lda);
    float[] b = random(rng, 7 + (transposed ? n : k) * ldb);
    float[] bias = random(rng, 2 + n);
    float[] c = random(rng, 3 + m * ldc + 4);
    PackedMatrix packed = PackedMatrix.of(transposed, k, n, b, 7, ldb);
    float[] expected = c.clone();
    for (int r = 0; r < m; r++) {
      System.arraycopy(bias, 2, expected, 3 + r * ldc, n);
    }
    Blas.gemm(m, a, 5, lda, packed, 1f, expected, 3, ldc);
    float[] serial = c.clone();
    Blas.gemmBias(true, m, a, 5, lda, packed, bias, 2, serial, 3, ldc);
    assertArrayEquals(expected, serial, "serial");
    float[] parallel = c.clone();
    Blas.gemmBias(false, m, a, 5, lda, packed, bias, 2, parallel, 3, ldc);
    assertArrayEquals(expected, parallel, "parallel (padding between rows untouched too)");
  }

  @Test
  void gemmBias_biasTooShort_throws() {
    PackedMatrix packed = PackedMatrix.of(true, 4, 10, new float[40], 0, 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Blas.gemmBias(true, 1, new float[4], 0, 4, packed, new float[12], 3, new float[10], 0, 10));
    assertTrue(e.getMessage().contains("bias"), e.getMessage());
  }

  @Test
  void gemm_packedIsBitIdenticalForAnyThreadCount() {
    Rng rng = new Rng(11);
    // k deep enough that m = 2 is above the parallel threshold and splits by column panels; n with
    // 12 vectors, and with 8, 14 and 20 (+5 columns), whose last 8 vectors are two panels of 4.
    int k = 1100;
    int before = Parallel.threads();
    try {
      for (int n : new int[] {200, 128, 224, 325}) {
        float[] a = random(rng, 300 * k);
        float[] w = random(rng, n * k);
        PackedMatrix packed = PackedMatrix.of(true, k, n, w, 0, k);
        for (int m : new int[] {300, 2}) { // split by rows, then by column panels
          float[] ref = new float[m * n];
          Blas.current().gemm(false, true, m, n, k, a, 0, k, w, 0, k, 0f, ref, 0, n);
          for (int threads : new int[] {1, 2, 3, 4}) {
            Parallel.setThreads(threads);
            float[] c = new float[m * n];
            Blas.gemm(m, a, 0, k, packed, 0f, c, 0, n);
            assertArrayEquals(ref, c, "n=" + n + " m=" + m + " threads=" + threads);
          }
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void gemmPacked_anySplitUpToLastSplitWalksThePackedPanels() {
    assumeTrue(Vectorization.ENABLED, "panels exist only with the Vector API");
    Rng rng = new Rng(12);
    int k = 70;
    int m = 3;
    int align = PackedMatrix.splitAlignment();
    for (int n : new int[] {128, 200, 224, 325, 1029}) {
      float[] a = random(rng, m * k);
      float[] w = random(rng, n * k);
      PackedMatrix packed = PackedMatrix.of(true, k, n, w, 0, k);
      float[] ref = new float[m * n];
      VectorGemmKernel.INSTANCE.gemmPacked(m, 0, n, a, 0, k, packed, null, 0, 0f, ref, 0, n);
      assertTrue(packed.lastSplit() % align == 0 || packed.lastSplit() == n, "n=" + n);
      for (int cut = align; cut <= packed.lastSplit() && cut < n; cut += align) {
        float[] c = new float[m * n];
        VectorGemmKernel.INSTANCE.gemmPacked(m, 0, cut, a, 0, k, packed, null, 0, 0f, c, 0, n);
        VectorGemmKernel.INSTANCE.gemmPacked(m, cut, n, a, 0, k, packed, null, 0, 0f, c, 0, n);
        assertArrayEquals(ref, c, "n=" + n + " cut at " + cut);
      }
    }
  }

  @Test
  void refreshed_followsTheChangedSource() {
    Rng rng = new Rng(3);
    int k = 20;
    int n = 37;
    float[] a = random(rng, k);
    float[] b = random(rng, k * n);
    PackedMatrix packed = PackedMatrix.of(false, k, n, b, 0, n);
    b[5 * n + 33] = 100f; // one element of the scalar tail column
    b[2 * n + 3] = -100f; // one element of a vector panel
    PackedMatrix again = packed.refreshed();
    float[] expected = new float[n];
    float[] got = new float[n];
    Blas.current().gemm(false, false, 1, n, k, a, 0, k, b, 0, n, 0f, expected, 0, n);
    Blas.gemmSerial(1, a, 0, k, again, 0f, got, 0, n);
    assertArrayEquals(expected, got);
  }

  @Test
  void gemm_nativeBlasReadsTheSource() {
    Gemm g = Blas.nativeOrNull();
    assumeTrue(g != null, "no native BLAS on this machine");
    Rng rng = new Rng(5);
    int m = 9;
    int n = 70;
    int k = 33;
    float[] a = random(rng, m * k);
    float[] w = random(rng, n * k);
    float[] expected = new float[m * n];
    Blas.java().gemm(false, true, m, n, k, a, 0, k, w, 0, k, 0f, expected, 0, n);
    float[] got = new float[m * n];
    String before = Blas.current() == Blas.java() ? "java" : "native";
    Blas.use("native");
    try {
      Blas.gemm(m, a, 0, k, PackedMatrix.of(true, k, n, w, 0, k), 0f, got, 0, n);
    } finally {
      Blas.use(before);
    }
    for (int i = 0; i < expected.length; i++) {
      // Another summation order: the float32 bound of a 33-term dot product of values in [-1, 1].
      assertEquals(expected[i], got[i], 1e-5f, "element " + i);
    }
  }

  @Test
  void of_rejectsSourceThatDoesNotFit() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PackedMatrix.of(false, 3, 4, new float[11], 0, 4));
    assertTrue(e.getMessage().startsWith("B (3x4, offset 0, leading dimension 4)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PackedMatrix.of(true, 3, 4, new float[12], 0, 2));
    assertTrue(e.getMessage().contains("leading dimension 2"), e.getMessage());
  }

  @Test
  void of_rejectsNegativeSize() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PackedMatrix.of(false, -1, 4, new float[4], 0, 4));
    assertTrue(e.getMessage().contains("k=-1"), e.getMessage());
  }

  @Test
  void gemm_rejectsOutputThatDoesNotFit() {
    PackedMatrix packed = PackedMatrix.of(false, 3, 2, new float[6], 0, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Blas.gemm(2, new float[6], 0, 3, packed, 0f, new float[3], 0, 2));
    assertTrue(e.getMessage().startsWith("C (2x2"), e.getMessage());
  }

  private static float[] random(Rng rng, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = rng.uniform(-1f, 1f);
    }
    return x;
  }
}
