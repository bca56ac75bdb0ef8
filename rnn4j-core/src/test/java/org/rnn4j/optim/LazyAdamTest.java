package org.rnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.random.Rng;

class LazyAdamTest {
  private static ParameterSet params(long seed) {
    ParameterSet p = new ParameterSet();
    p.add("embedding.weight", 50, 8);
    p.add("other", 300);
    Rng r = new Rng(seed);
    for (int i = 0; i < p.size(); i++) {
      p.data()[i] = r.uniform(-1, 1);
    }
    return p;
  }

  private static void grads(ParameterSet p, int[] rows, long seed) {
    Rng r = new Rng(seed);
    Parameter e = p.require("embedding.weight");
    for (int row : rows) {
      for (int j = 0; j < 8; j++) {
        p.grad()[e.offset() + row * 8 + j] = r.uniform(-1, 1);
      }
    }
    Parameter o = p.require("other");
    for (int i = 0; i < o.size(); i++) {
      p.grad()[o.offset() + i] = r.uniform(-1, 1);
    }
  }

  @Test
  void lazyRows_updateOnlyThoseRowsAndTheirMoments() {
    ParameterSet p = params(1);
    Adam adam = Adam.adam(p);
    float[] before = p.data().clone();
    int[] rows = {3, 17};
    grads(p, rows, 2);
    adam.lazyRows(p.require("embedding.weight"), rows, rows.length);
    adam.step(0.01);
    Parameter e = p.require("embedding.weight");
    for (int row = 0; row < 50; row++) {
      for (int j = 0; j < 8; j++) {
        int i = e.offset() + row * 8 + j;
        if (row == 3 || row == 17) {
          assertNotEquals(before[i], p.data()[i], "touched row " + row);
        } else {
          assertEquals(before[i], p.data()[i], "untouched row " + row);
          assertEquals(0f, adam.state().get("exp_avg")[i]);
        }
      }
    }
    assertTrue(p.require("other").values()[5] != before[p.require("other").offset() + 5], "dense part updated");
    for (float g : p.grad()) {
      assertEquals(0f, g, "gradient consumed");
    }
  }

  @Test
  void lazyRows_equalDenseWhenEveryRowIsTouched() {
    ParameterSet dense = params(3);
    ParameterSet lazy = params(3);
    Adam a = Adam.adam(dense);
    Adam b = Adam.adam(lazy);
    int[] all = new int[50];
    for (int i = 0; i < 50; i++) {
      all[i] = i;
    }
    for (int s = 0; s < 5; s++) {
      grads(dense, all, 10 + s);
      grads(lazy, all, 10 + s);
      a.step(0.01);
      b.lazyRows(lazy.require("embedding.weight"), all, all.length);
      b.step(0.01);
    }
    assertArrayEquals(dense.data(), lazy.data());
  }

  @Test
  void step_reportsTheGradientSumOfSquares() {
    ParameterSet p = new ParameterSet();
    p.add("w", 3);
    p.grad()[0] = 3f;
    p.grad()[2] = 4f;
    Adam adam = Adam.adam(p);
    adam.step(0.1);
    assertEquals(25.0, adam.lastGradientSumSquares(), 1e-9);
    p.grad()[1] = Float.NaN;
    adam.step(0.1);
    assertTrue(Double.isNaN(adam.lastGradientSumSquares()));
    Sgd sgd = new Sgd(p, 0.9, 0, false, 0);
    p.grad()[0] = 2f;
    sgd.step(0.1);
    assertEquals(4.0, sgd.lastGradientSumSquares(), 1e-9);
  }
}
