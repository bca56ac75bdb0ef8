package org.rnn4j.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.random.Rng;

/**
 * The column sums that form bias gradients: the vector strips, the scalar tail and the column split
 * across threads must each give the bits of one plain chain per column over the rows in order, so
 * the comparisons are exact. The maps (add, addToRows) must equal their plain loops exactly too.
 */
class OpsTest {
  /** (rows, cols): below and above the parallel threshold, cols off the 64-column strips and lanes. */
  private static final int[][] SHAPES = {{1, 1}, {3, 17}, {7, 64}, {5, 100}, {300, 1024}, {8192, 128},
      {129, 1030}, {2000, 77}};

  @Test
  void add_equalsThePlainLoop() {
    Rng rng = new Rng(7);
    for (int n : new int[] {0, 1, 15, 16, 17, 64, 100, 1030}) {
      float[] x = gaussian(rng, n + 9);
      float[] y = gaussian(rng, n + 4);
      float[] expected = y.clone();
      for (int i = 0; i < n; i++) {
        expected[3 + i] += x[5 + i];
      }
      Ops.add(x, 5, y, 3, n);
      assertArrayEquals(expected, y, "n=" + n); // exact: the same single rounding per element
    }
  }

  @Test
  void sum_equalsThePlainLoop() {
    Rng rng = new Rng(9);
    for (int n : new int[] {0, 1, 15, 16, 17, 64, 100, 1030}) {
      float[] x = gaussian(rng, n + 9);
      float[] y = gaussian(rng, n + 4);
      float[] out = gaussian(rng, n + 6);
      float[] expected = out.clone();
      for (int i = 0; i < n; i++) {
        expected[2 + i] = x[5 + i] + y[3 + i];
      }
      Ops.sum(x, 5, y, 3, out, 2, n);
      assertArrayEquals(expected, out, "n=" + n);
    }
  }

  @Test
  void axpy_equalsOneFmaPerElement() {
    Rng rng = new Rng(9);
    for (int n : new int[] {1, 15, 16, 33, 256}) {
      float[] x = new float[n + 2];
      float[] y = new float[n + 5];
      for (int i = 0; i < x.length; i++) {
        x[i] = rng.nextFloat() - 0.5f;
      }
      for (int i = 0; i < y.length; i++) {
        y[i] = rng.nextFloat() - 0.5f;
      }
      float[] expected = y.clone();
      for (int i = 0; i < n; i++) {
        expected[3 + i] = Math.fma(0.37f, x[2 + i], expected[3 + i]);
      }
      Ops.axpy(0.37f, x, 2, y, 3, n);
      assertArrayEquals(expected, y, "n=" + n);
    }
  }

  @Test
  void dotRows_equalsOneChainPerRow() {
    Rng rng = new Rng(10);
    int n = 37;
    int stride = 41;
    for (int rows : new int[] {1, 3, 4, 5, 9}) {
      float[] v = new float[n + 1];
      float[] x = new float[2 + rows * stride];
      for (int i = 0; i < v.length; i++) {
        v[i] = rng.nextFloat() - 0.5f;
      }
      for (int i = 0; i < x.length; i++) {
        x[i] = rng.nextFloat() - 0.5f;
      }
      float[] out = new float[rows + 1];
      Ops.dotRows(v, 1, x, 2, stride, rows, n, out, 1);
      for (int r = 0; r < rows; r++) {
        float sum = 0f;
        for (int j = 0; j < n; j++) {
          sum = Math.fma(v[1 + j], x[2 + r * stride + j], sum);
        }
        assertEquals(sum, out[1 + r], "row " + r + " of " + rows);
      }
      assertEquals(0f, out[0], "nothing before oo");
    }
  }

  @Test
  void firstNotBelow_findsTheFirstValueAtOrAboveTheCut() {
    float[] x = new float[100];
    java.util.Arrays.fill(x, -1f);
    assertEquals(90, Ops.firstNotBelow(x, 5, 90, 0f), "none: the end");
    x[70] = 0f;
    x[80] = 5f;
    assertEquals(70, Ops.firstNotBelow(x, 5, 90, 0f), "equal to the cut counts");
    assertEquals(80, Ops.firstNotBelow(x, 71, 90, 0f));
    assertEquals(80, Ops.firstNotBelow(x, 5, 90, 1f));
    assertEquals(75, Ops.firstNotBelow(x, 75, 90, Float.NEGATIVE_INFINITY));
    x[20] = Float.NaN;
    assertEquals(20, Ops.firstNotBelow(x, 5, 90, 0f), "NaN is not below");
    assertEquals(3, Ops.firstNotBelow(x, 3, 3, 0f), "empty range");
  }

  @Test
  void max_equalsThePlainLoop() {
    Rng rng = new Rng(8);
    for (int n : new int[] {1, 5, 16, 17, 100, 7878}) {
      float[] x = new float[n + 3];
      for (int i = 0; i < x.length; i++) {
        x[i] = rng.nextFloat() * 20f - 10f;
      }
      float expected = Float.NEGATIVE_INFINITY;
      for (int i = 2; i < 2 + n; i++) {
        expected = Math.max(expected, x[i]);
      }
      assertEquals(expected, Ops.max(x, 2, n), "n=" + n);
      x[2 + n / 2] = Float.NaN;
      assertTrue(Float.isNaN(Ops.max(x, 2, n)), "a NaN is the maximum, n=" + n);
    }
    assertEquals(Float.NEGATIVE_INFINITY, Ops.max(new float[3], 1, 0));
  }

  @Test
  void addToRows_equalsThePlainLoop() {
    Rng rng = new Rng(8);
    for (int[] s : SHAPES) {
      int rows = s[0];
      int cols = s[1];
      int ld = cols + 3;
      float[] m = gaussian(rng, 2 + rows * ld);
      float[] v = gaussian(rng, cols + 1);
      float[] expected = m.clone();
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < cols; j++) {
          expected[2 + r * ld + j] += v[1 + j];
        }
      }
      Ops.addToRows(m, 2, rows, cols, ld, v, 1);
      assertArrayEquals(expected, m, rows + "x" + cols);
    }
  }

  private static float[] gaussian(Rng rng, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rng.nextGaussian();
    }
    return a;
  }

  @Test
  void addColumnSums_equalsOneChainPerColumn() {
    int before = Parallel.threads();
    try {
      for (int[] s : SHAPES) {
        for (int threads : new int[] {1, 2, 3}) {
          Parallel.setThreads(threads);
          check(s[0], s[1], true);
          check(s[0], s[1], false);
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  private static void check(int rows, int cols, boolean both) {
    Rng rng = new Rng(rows * 31L + cols);
    int ld = cols + 5;
    int mo = 3;
    float[] m = new float[mo + rows * ld];
    for (int i = 0; i < m.length; i++) {
      m[i] = (float) rng.nextGaussian();
    }
    // Both destinations in one array, as the two bias gradients of a layer are, with a gap between.
    int dOff = 2;
    int d2Off = dOff + cols + 7;
    float[] dst = new float[d2Off + cols + 3];
    for (int i = 0; i < dst.length; i++) {
      dst[i] = (float) rng.nextGaussian();
    }
    float[] expected = dst.clone();
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        expected[dOff + j] += m[mo + r * ld + j];
        if (both) {
          expected[d2Off + j] += m[mo + r * ld + j];
        }
      }
    }
    if (both) {
      Ops.addColumnSums(m, mo, rows, cols, ld, dst, dOff, dst, d2Off);
    } else {
      Ops.addColumnSums(m, mo, rows, cols, ld, dst, dOff);
    }
    assertArrayEquals(expected, dst, rows + "x" + cols + " both=" + both + " threads=" + Parallel.threads());
  }
  @Test
  void sumGroups_equalsOneChainPerGroupOnAnyThreadCount() {
    int before = Parallel.threads();
    try {
      // Small groups on one thread; 3000 rows x 40 is past the parallel threshold, with one group of
      // 900 rows that a split by group count would hand to one thread whole.
      for (int[] s : new int[][] {{12, 5, 3}, {3000, 40, 700}}) {
        for (int threads : new int[] {1, 2, 3}) {
          Parallel.setThreads(threads);
          checkGroups(s[0], s[1], s[2]);
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  private static void checkGroups(int rows, int cols, int groups) {
    Rng rng = new Rng(rows + cols);
    int lds = cols + 3;
    int srcOff = 2;
    float[] src = gaussian(rng, srcOff + rows * lds);
    int[] slot = new int[rows];
    for (int q = 0; q < rows; q++) {
      slot[q] = q < 900 && rows > 900 ? 0 : rng.nextInt(groups);
    }
    slot[rows - 1] = groups - 1;
    int[] start = new int[groups + 1];
    for (int q = 0; q < rows; q++) {
      start[slot[q] + 1]++;
    }
    for (int g = 0; g < groups; g++) {
      start[g + 1] += start[g];
    }
    int[] members = new int[rows];
    int[] next = java.util.Arrays.copyOf(start, groups);
    for (int q = 0; q < rows; q++) {
      members[next[slot[q]]++] = q;
    }
    int ldd = cols + 1;
    float[] expected = new float[groups * ldd];
    float[] dst = new float[groups * ldd];
    for (int g = 0; g < groups; g++) {
      if (start[g] == start[g + 1]) {
        continue; // an empty group is never asked for; leave both rows alone
      }
      for (int j = 0; j < cols; j++) {
        float sum = 0f;
        for (int m = start[g]; m < start[g + 1]; m++) {
          sum = m == start[g] ? src[srcOff + members[m] * lds + j] : sum + src[srcOff + members[m] * lds + j];
        }
        expected[g * ldd + j] = sum;
      }
    }
    // The column sums: two runs of groups split at half the members, each summed in order from
    // zero, then added to each destination in run order.
    float[] sums = gaussian(rng, cols + 5);
    float[] sums2 = gaussian(rng, cols + 2);
    float[] expectedSums = sums.clone();
    float[] expectedSums2 = sums2.clone();
    int half = 0;
    while (half < groups && start[half] < rows / 2) {
      half++;
    }
    for (int[] run : new int[][] {{0, half}, {half, groups}}) {
      float[] partial = new float[cols];
      Ops.addColumnSums(expected, run[0] * ldd, run[1] - run[0], cols, ldd, partial, 0);
      for (int j = 0; j < cols; j++) {
        expectedSums[1 + j] += partial[j];
        expectedSums2[2 + j] += partial[j];
      }
    }
    float[] scratch = new float[Ops.groupSumScratch(cols)];
    java.util.Arrays.fill(scratch, Float.NaN); // must not leak into the sums
    Ops.sumGroups(src, srcOff, lds, cols, start, members, groups, dst, 0, ldd, sums, 1, sums2, 2, scratch);
    String what = rows + "x" + cols + " in " + groups + " threads=" + Parallel.threads();
    assertArrayEquals(expected, dst, what);
    assertArrayEquals(expectedSums, sums, what + " sums");
    assertArrayEquals(expectedSums2, sums2, what + " second sums");
  }
}
