package org.rnn4j.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rnn4j.math.Parallel;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.Pooling;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;

/**
 * Recurrent weights rounded to bfloat16 for inference: only W_hh changes, every kernel (a single
 * sequence over the bfloat16 pairs, a batch over the floats) gives a sequence the same bits, and the
 * outputs stay within the rounding's reach of the float32 model's.
 */
class Bf16WeightsTest {
  private static final int V = 50;
  private static final int T = 12;

  private static ClassifierNet net(CellType cell, boolean bi) {
    // hidden 32: gate columns of 96 + 32 (LSTM: 4 + 4 vectors; GRU: 6 vectors), which the pair kernels read
    ClassifierNet n = new ClassifierNet(NetConfig.builder().cell(cell).vocabulary(V).embed(16).hidden(32)
        .layers(2).bidirectional(bi).pooling(Pooling.LAST).classes(4).build());
    n.initialize(TorchGenerator.seeded(11));
    return n;
  }

  private static int[] tokens(int rows) {
    Rng r = new Rng(4);
    int[] t = new int[rows * T];
    for (int i = 0; i < t.length; i++) {
      t[i] = r.nextInt(V);
    }
    return t;
  }

  @Test
  void roundRecurrentWeightsToBf16_roundsOnlyWhh() {
    ClassifierNet plain = net(CellType.LSTM, true);
    ClassifierNet rounded = net(CellType.LSTM, true);
    rounded.rnn().roundRecurrentWeightsToBf16();
    int changed = 0;
    for (Parameter p : rounded.parameters().parameters()) {
      float[] before = plain.parameters().require(p.name()).values();
      float[] after = p.values();
      if (p.name().contains("weight_hh")) {
        for (int i = 0; i < after.length; i++) {
          assertEquals(0, Float.floatToRawIntBits(after[i]) & 0xFFFF, p.name() + " is not bfloat16 at " + i);
          assertTrue(Math.abs(after[i] - before[i]) <= Math.abs(before[i]) * 0x1p-8f, p.name() + " moved too far");
        }
        changed++;
      } else {
        assertArrayEquals(before, after, p.name() + " must keep its float32 values");
      }
    }
    assertEquals(4, changed, "two layers, two directions");
  }

  @Test
  void infer_oneSequenceOverPairs_sameBitsAsInABatch() {
    int before = Parallel.threads();
    try {
      for (CellType cell : new CellType[] {CellType.LSTM, CellType.GRU, CellType.RNN_TANH}) {
        for (boolean bi : new boolean[] {false, true}) {
          ClassifierNet net = net(cell, bi);
          net.rnn().roundRecurrentWeightsToBf16();
          int rows = 5;
          int[] tokens = tokens(rows);
          int[] lengths = {12, 7, 1, 12, 3};
          for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            float[] batch = net.infer(net.newWorkspace(), tokens, lengths, T).clone();
            for (int r = 0; r < rows; r++) {
              float[] alone = net.infer(net.newWorkspace(), Arrays.copyOfRange(tokens, r * T, (r + 1) * T),
                  new int[] {lengths[r]}, T);
              assertArrayEquals(Arrays.copyOfRange(batch, r * 4, r * 4 + 4), Arrays.copyOf(alone, 4),
                  cell + " bi=" + bi + " threads=" + threads + " row " + r);
            }
          }
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  /**
   * The rounding's reach: W_hh moves by at most 2^-9 of each value; over 12 steps of two layers the
   * logits of this model moved by at most 4e-4 (measured 3.9e-5), against logits of order 0.1-1.
   */
  @Test
  void infer_bf16_closeToFloat32ButNotEqual() {
    ClassifierNet plain = net(CellType.LSTM, true);
    ClassifierNet rounded = net(CellType.LSTM, true);
    rounded.rnn().roundRecurrentWeightsToBf16();
    int[] tokens = tokens(5);
    int[] lengths = {12, 7, 1, 12, 3};
    float[] a = plain.infer(plain.newWorkspace(), tokens, lengths, T).clone();
    float[] b = rounded.infer(rounded.newWorkspace(), tokens, lengths, T).clone();
    float worst = 0;
    for (int i = 0; i < 5 * 4; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    assertTrue(worst < 4e-4f, "logits moved by " + worst);
    assertFalse(worst == 0f, "the rounding must reach the output");
  }
}
