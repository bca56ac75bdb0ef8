package org.rnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.rnn4j.math.Parallel;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.random.Rng;

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

  private static final int[][] ROWS_PER_STEP = {{0, 1310, 1311, 2999, 3000}, {7, 1310}, {2, 3, 1500, 2621}};

  /** Three steps of an optimizer told the rows (every step, or the first only) against one never told. */
  private static void assertTellingChangesNothing(Function<ParameterSet, Adam> optimizer, boolean tellEveryStep) {
    ParameterSet a = params();
    ParameterSet b = params();
    Adam told = optimizer.apply(a);
    Adam untold = optimizer.apply(b);
    for (int s = 0; s < ROWS_PER_STEP.length; s++) {
      gradient(a, ROWS_PER_STEP[s], 100 + s);
      gradient(b, ROWS_PER_STEP[s], 100 + s);
      if (tellEveryStep || s == 0) {
        told.gradientRows(a.require("embedding.weight"), ROWS_PER_STEP[s], ROWS_PER_STEP[s].length);
      }
      told.step(0.01);
      untold.step(0.01);
      assertArrayEquals(b.data(), a.data(), "weights after step " + (s + 1));
      assertArrayEquals(b.grad(), a.grad(), "gradient cleared after step " + (s + 1));
      assertArrayEquals(untold.state().get("exp_avg"), told.state().get("exp_avg"), "m after step " + (s + 1));
      assertArrayEquals(untold.state().get("exp_avg_sq"), told.state().get("exp_avg_sq"), "v after step " + (s + 1));
    }
  }

  @Test
  void gradientRows_adam_sameBitsAsDense() {
    assertTellingChangesNothing(Adam::adam, true);
  }

  @Test
  void gradientRows_adamWWithDecay_sameBitsAsDense() {
    assertTellingChangesNothing(Adam::adamW, true);
  }

  @Test
  void gradientRows_anyThreadCount_sameBitsAsDense() {
    int before = Parallel.threads();
    try {
      for (int threads : new int[] {1, 3}) {
        Parallel.setThreads(threads);
        assertTellingChangesNothing(Adam::adam, true);
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void gradientRows_holdsForOneStepOnly() {
    // Told once: the next steps, with gradient in other rows, must be the full dense update again.
    assertTellingChangesNothing(Adam::adam, false);
  }

  @Test
  void gradientRows_ofVector_isRefused() {
    ParameterSet p = params();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Adam.adam(p).gradientRows(p.require("fc.bias"), new int[] {0}, 1));
    assertEquals("row gradients need a matrix parameter, fc.bias is not one", e.getMessage());
  }
}
