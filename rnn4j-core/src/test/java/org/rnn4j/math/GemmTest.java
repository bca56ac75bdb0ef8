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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.random.Rng;

/**
 * Every GEMM path against a double-precision reference. Tolerance: |err| <= 1e-5·Σ|a·b| per element,
 * the float32 rounding bound of a length-k dot product (measured worst ratio ~2e-7).
 */
class GemmTest {
  static Stream<Arguments> shapes() {
    List<Arguments> list = new ArrayList<>();
    int[][] mnk = {
        {1, 1, 1}, {3, 5, 7}, {4, 32, 16}, {5, 33, 17}, {16, 128, 32}, {7, 80, 300},
        {64, 100, 64}, {1, 1024, 256}, {130, 48, 513}, {9, 17, 0}};
    for (int[] s : mnk) {
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          for (float beta : new float[] {0f, 1f, 0.5f}) {
            list.add(Arguments.of(s[0], s[1], s[2], ta, tb, beta));
          }
        }
      }
    }
    return list.stream();
  }

  @ParameterizedTest(name = "m={0} n={1} k={2} tA={3} tB={4} beta={5}")
  @MethodSource("shapes")
  void javaVector_matchesReference(int m, int n, int k, boolean ta, boolean tb, float beta) {
    check(Blas.java(), m, n, k, ta, tb, beta);
  }

  @ParameterizedTest(name = "m={0} n={1} k={2} tA={3} tB={4} beta={5}")
  @MethodSource("shapes")
  void javaScalar_matchesReference(int m, int n, int k, boolean ta, boolean tb, float beta) {
    check(new JavaGemm(ScalarGemmKernel.INSTANCE, "java-scalar"), m, n, k, ta, tb, beta);
  }

  @ParameterizedTest(name = "m={0} n={1} k={2} tA={3} tB={4} beta={5}")
  @MethodSource("shapes")
  void nativeBlas_matchesReference(int m, int n, int k, boolean ta, boolean tb, float beta) {
    Gemm g = Blas.nativeOrNull();
    assumeTrue(g != null, "no native BLAS on this machine");
    check(g, m, n, k, ta, tb, beta);
  }

  private static void check(Gemm g, int m, int n, int k, boolean ta, boolean tb, float beta) {
    Rng rng = new Rng(m * 1_000_003L + n * 1009L + k);
    int lda = (ta ? m : k) + 3;
    int ldb = (tb ? k : n) + 2;
    int ldc = n + 1;
    int aOff = 5;
    int bOff = 7;
    int cOff = 3;
    float[] a = random(rng, aOff + (ta ? k : m) * lda);
    float[] b = random(rng, bOff + (tb ? n : k) * ldb);
    float[] c = random(rng, cOff + m * ldc + 4);
    float[] c0 = c.clone();
    g.gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double ref = beta * (double) c0[cOff + i * ldc + j];
        double mag = Math.abs(ref);
        for (int p = 0; p < k; p++) {
          double x = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          double y = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          ref += x * y;
          mag += Math.abs(x * y);
        }
        double got = c[cOff + i * ldc + j];
        assertTrue(Math.abs(got - ref) <= 1e-5 * mag + 1e-30,
            g.name() + " C[" + i + "][" + j + "] = " + got + ", reference " + ref);
      }
      // Padding between rows (leading dimension) must be untouched.
      assertEquals(c0[cOff + i * ldc + n], c[cOff + i * ldc + n], g.name() + " wrote past row " + i);
    }
    assertEquals(c0[0], c[0], "wrote before C's offset");
  }

  private static float[] random(Rng rng, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = rng.uniform(-1f, 1f);
    }
    return x;
  }

  @ParameterizedTest(name = "m={0} n={1} tA={2}")
  @CsvSource({"37, 75, false", "37, 75, true", "203, 75, false", "203, 75, true", "203, 300, true"})
  void vectorAndScalarKernels_areBitIdentical(int m, int n, boolean ta) {
    // Both compute each element as the same fma chain, so blocking, loop order and tails never
    // change a bit. k spans three blocks of k; 203 rows span several blocks of rows in either order,
    // and a transposed A takes narrow row blocks for 75 columns, wide ones for 300.
    Rng rng = new Rng(7);
    int k = 530;
    int lda = ta ? m : k;
    float[] a = random(rng, m * k);
    float[] b = random(rng, k * n);
    float[] c1 = random(rng, m * n);
    float[] c2 = c1.clone();
    Blas.java().gemm(ta, false, m, n, k, a, 0, lda, b, 0, n, 1f, c1, 0, n);
    new JavaGemm(ScalarGemmKernel.INSTANCE, "s").gemm(ta, false, m, n, k, a, 0, lda, b, 0, n, 1f, c2, 0, n);
    assertArrayEquals(c2, c1);
  }

  @Test
  void parallelGemm_isBitIdenticalForAnyThreadCount() {
    Rng rng = new Rng(11);
    int m = 300, n = 200, k = 150;
    float[] a = random(rng, m * k);
    float[] b = random(rng, k * n);
    float[] ref = new float[m * n];
    Gemm serial = Blas.current();
    serial.gemm(false, true, m, n, k, a, 0, k, b, 0, k, 0f, ref, 0, n);
    int before = Parallel.threads();
    try {
      for (int threads : new int[] {1, 2, 3, 4}) {
        Parallel.setThreads(threads);
        float[] c = new float[m * n];
        Blas.gemm(false, true, m, n, k, a, 0, k, b, 0, k, 0f, c, 0, n);
        assertArrayEquals(ref, c, "threads=" + threads);
        float[] skinny = new float[2 * n];
        float[] skinnyRef = new float[2 * n];
        Blas.gemm(false, false, 2, n, k, a, 0, k, b, 0, n, 0f, skinny, 0, n);
        serial.gemm(false, false, 2, n, k, a, 0, k, b, 0, n, 0f, skinnyRef, 0, n);
        assertArrayEquals(skinnyRef, skinny, "column split, threads=" + threads);
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void gemm_rejectsOperandThatDoesNotFit() {
    float[] a = new float[6];
    float[] b = new float[6];
    float[] c = new float[3];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Blas.gemm(false, false, 2, 2, 3, a, 0, 3, b, 0, 2, 0f, c, 0, 2));
    assertTrue(e.getMessage().startsWith("C (2x2"), e.getMessage());
  }

  @Test
  void gemm_rejectsNegativeSize() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Blas.gemm(false, false, -1, 2, 3, new float[9], 0, 3, new float[9], 0, 2, 0f, new float[9], 0, 2));
    assertTrue(e.getMessage().contains("m=-1"), e.getMessage());
  }

  @Test
  void gemm_rejectsLeadingDimensionSmallerThanRow() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Blas.gemm(false, false, 2, 2, 3, new float[9], 0, 2, new float[9], 0, 2, 0f, new float[9], 0, 2));
    assertTrue(e.getMessage().contains("leading dimension of A is 2"), e.getMessage());
  }
}
