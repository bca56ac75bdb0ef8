package org.rnn4j.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * The column sums that form bias gradients: the vector strips, the scalar tail and the column split
 * across threads must each give the bits of one plain chain per column over the rows in order, so
 * the comparisons are exact.
 */
class OpsTest {
  /** (rows, cols): below and above the parallel threshold, cols off the 64-column strips and lanes. */
  private static final int[][] SHAPES = {{1, 1}, {3, 17}, {7, 64}, {5, 100}, {300, 1024}, {8192, 128},
      {129, 1030}, {2000, 77}};

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
}
