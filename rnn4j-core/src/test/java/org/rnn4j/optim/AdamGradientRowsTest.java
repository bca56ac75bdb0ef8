package org.rnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.rnn4j.math.Parallel;
import org.rnn4j.math.Rng;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.ParameterSet;

/**
 * Telling Adam which rows of an embedding have a gradient must not change a bit of the dense update:
 * weights, both moments and the cleared gradient are compared exactly with a run that was not told.
 */
class AdamGradientRowsTest {
  // 3,001 rows of 50: more than one parallel chunk (65,536 elements), rows across chunk boundaries.
  private static final int ROWS = 3001;
  private static final int COLS = 50;

  private static ParameterSet params() {
    ParameterSet p = new ParameterSet();
    p.add("fc.bias", 7);
    p.add("embedding.weight", ROWS, COLS);
    p.add("rnn.weight_hh_l0", 40, 10);
    Rng r = new Rng(5);
    for (int i = 0; i < p.size(); i++) {
      p.data()[i] = r.uniform(-1, 1);
    }
    return p;
  }

  /** A gradient in the given rows of the embedding and everywhere in the other parameters. */
  private static void gradient(ParameterSet p, int[] rows, long seed) {
    Rng r = new Rng(seed);
    Parameter e = p.require("embedding.weight");
    for (int row : rows) {
      for (int j = 0; j < COLS; j++) {
        p.grad()[e.offset() + row * COLS + j] = r.uniform(-1, 1);
      }
    }
    for (String other : new String[] {"fc.bias", "rnn.weight_hh_l0"}) {
      Parameter o = p.require(other);
      for (int i = 0; i < o.size(); i++) {
        p.grad()[o.offset() + i] = r.uniform(-1, 1);
      }
    }
  }

  private static void assertSameRun(Adam told, ParameterSet a, Adam untold, ParameterSet b, int[][] rowsPerStep,
                                    boolean tellEveryStep) {
    for (int s = 0; s < rowsPerStep.length; s++) {
      gradient(a, rowsPerStep[s], 100 + s);
      gradient(b, rowsPerStep[s], 100 + s);
      if (tellEveryStep || s == 0) {
        told.gradientRows(a.require("embedding.weight"), rowsPerStep[s], rowsPerStep[s].length);
      }
      told.step(0.01);
      untold.step(0.01);
      assertArrayEquals(b.data(), a.data(), "weights after step " + (s + 1));
      assertArrayEquals(b.grad(), a.grad(), "gradient cleared after step " + (s + 1));
      assertArrayEquals(untold.state().get("exp_avg"), told.state().get("exp_avg"), "m after step " + (s + 1));
      assertArrayEquals(untold.state().get("exp_avg_sq"), told.state().get("exp_avg_sq"), "v after step " + (s + 1));
    }
  }

  private static final int[][] ROWS_PER_STEP = {{0, 1310, 1311, 2999, 3000}, {7, 1310}, {2, 3, 1500, 2621}};

  @Test
  void gradientRows_adam_sameBitsAsDense() {
    ParameterSet a = params();
    ParameterSet b = params();
    assertSameRun(Adam.adam(a), a, Adam.adam(b), b, ROWS_PER_STEP, true);
  }

  @Test
  void gradientRows_adamWWithDecay_sameBitsAsDense() {
    ParameterSet a = params();
    ParameterSet b = params();
    assertSameRun(Adam.adamW(a), a, Adam.adamW(b), b, ROWS_PER_STEP, true);
  }

  @Test
  void gradientRows_anyThreadCount_sameBitsAsDense() {
    int before = Parallel.threads();
    try {
      for (int threads : new int[] {1, 3}) {
        Parallel.setThreads(threads);
        ParameterSet a = params();
        ParameterSet b = params();
        assertSameRun(Adam.adam(a), a, Adam.adam(b), b, ROWS_PER_STEP, true);
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void gradientRows_holdsForOneStepOnly() {
    // Told once: the next steps, with gradient in other rows, must be the full dense update again.
    ParameterSet a = params();
    ParameterSet b = params();
    assertSameRun(Adam.adam(a), a, Adam.adam(b), b, ROWS_PER_STEP, false);
  }

  @Test
  void gradientRows_ofVector_isRefused() {
    ParameterSet p = params();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Adam.adam(p).gradientRows(p.require("fc.bias"), new int[] {0}, 1));
    assertEquals("row gradients need a matrix parameter, fc.bias is not one", e.getMessage());
  }
}
