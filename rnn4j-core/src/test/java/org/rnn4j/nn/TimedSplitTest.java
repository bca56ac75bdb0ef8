package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rnn4j.math.Parallel;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;

/**
 * A small layer's inference loop runs split or whole as {@link org.rnn4j.math.SplitChooser} times
 * it; the choice must never change a result, and training must not be timed.
 */
class TimedSplitTest {
  private int threadsBefore;

  @BeforeEach
  void twoThreads() {
    threadsBefore = Parallel.threads();
    Parallel.setThreads(2);
  }

  @AfterEach
  void restore() {
    Parallel.setThreads(threadsBefore);
  }

  @Test
  void inferenceForward_splitAndWholeGiveTheSameBits() {
    for (CellType cell : new CellType[] {CellType.LSTM, CellType.GRU, CellType.RNN_TANH}) {
      int batch = 12;
      int t = 9;
      int in = 5;
      int h = 24;
      ParameterSet params = new ParameterSet();
      RecurrentStack stack = new RecurrentStack(params, "rnn.", cell, in, h, 2, true, 0f);
      Init.recurrent(params, "rnn.", h, TorchGenerator.seeded(7));
      Rng rng = new Rng(11);
      int[] lengths = new int[batch];
      for (int b = 0; b < batch; b++) {
        lengths[b] = 1 + rng.nextInt(t);
      }
      float[] x = GradientCheckProperties.randoms(rng, batch * t * in);
      RecurrentStack.Cache c = stack.newCache();
      RecurrentStack.Output first = stack.forwardPadded(c, x, lengths, t, null, null, false, null);
      // The warm-up alternates, so these calls run both ways in every layer and direction.
      for (int call = 1; call < 6; call++) {
        RecurrentStack.Output o = stack.forwardPadded(c, x, lengths, t, null, null, false, null);
        assertArrayEquals(first.output, o.output, cell + " output, call " + call);
        assertArrayEquals(first.hN, o.hN, cell + " hN, call " + call);
        assertArrayEquals(first.cN, o.cN, cell + " cN, call " + call);
      }
      for (RecurrentLayer.Cache k : new RecurrentLayer.Cache[] {c.fwd[0], c.rev[0], c.fwd[1], c.rev[1]}) {
        assertFalse(Double.isNaN(k.splitChooser.splitNanosPerItem()), cell + ": a split call was timed");
        assertFalse(Double.isNaN(k.splitChooser.wholeNanosPerItem()), cell + ": a whole call was timed");
      }
    }
  }

  @Test
  void trainingForward_isNotTimed() {
    ParameterSet params = new ParameterSet();
    RecurrentStack stack = new RecurrentStack(params, "rnn.", CellType.LSTM, 4, 16, 1, false, 0f);
    Init.recurrent(params, "rnn.", 16, TorchGenerator.seeded(3));
    float[] x = GradientCheckProperties.randoms(new Rng(5), 8 * 6 * 4);
    int[] lengths = {6, 6, 5, 4, 6, 3, 2, 6};
    RecurrentStack.Cache c = stack.newCache();
    for (int call = 0; call < 4; call++) {
      stack.forwardPadded(c, x, lengths, 6, null, null, true, new Rng(call));
    }
    assertTrue(Double.isNaN(c.fwd[0].splitChooser.splitNanosPerItem()));
    assertTrue(Double.isNaN(c.fwd[0].splitChooser.wholeNanosPerItem()));
  }

  @Test
  void largeLayer_isNotTimed() {
    // 64 rows × 24 steps × (4·256) × 256 multiply-adds: above RecurrentLayer.TIMED_SPLIT_MACS.
    int batch = 64;
    int t = 24;
    int h = 256;
    assertTrue((long) batch * t * 4 * h * h >= RecurrentLayer.TIMED_SPLIT_MACS);
    ParameterSet params = new ParameterSet();
    RecurrentStack stack = new RecurrentStack(params, "rnn.", CellType.LSTM, 4, h, 1, false, 0f);
    Init.recurrent(params, "rnn.", h, TorchGenerator.seeded(3));
    float[] x = GradientCheckProperties.randoms(new Rng(5), batch * t * 4);
    int[] lengths = new int[batch];
    java.util.Arrays.fill(lengths, t);
    RecurrentStack.Cache c = stack.newCache();
    stack.forwardPadded(c, x, lengths, t, null, null, false, null);
    stack.forwardPadded(c, x, lengths, t, null, null, false, null);
    assertTrue(Double.isNaN(c.fwd[0].splitChooser.splitNanosPerItem()));
    assertTrue(Double.isNaN(c.fwd[0].splitChooser.wholeNanosPerItem()));
  }
}
