package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.network.ClassifierNet;
import org.rnn4j.network.NetConfig;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;

class InitAndDropoutTest {
  private static ClassifierNet net(int seed) {
    ClassifierNet n = new ClassifierNet(NetConfig.builder().vocabulary(5000).embed(64).hidden(100)
        .layers(2).bidirectional(true).classes(4).paddingIndex(1).build());
    n.initialize(TorchGenerator.seeded(seed));
    return n;
  }

  @Test
  void initialize_sameSeedSameWeights() {
    assertArrayEquals(net(3).parameters().data(), net(3).parameters().data());
  }

  @Test
  void initialize_hasPyTorchDistributions() {
    ClassifierNet n = net(4);
    ParameterSet p = n.parameters();
    Parameter emb = p.require("embedding.weight");
    float[] e = emb.values();
    double mean = 0;
    double var = 0;
    for (int i = 64; i < e.length; i++) { // skip row 0..1? row 1 is padding, zeroed
      if (i / 64 == 1) {
        assertEquals(0f, e[i], "padding row is zero");
        continue;
      }
      mean += e[i];
      var += e[i] * e[i];
    }
    int n0 = e.length - 128;
    assertEquals(0, mean / n0, 0.01, "embedding mean");
    assertEquals(1, var / n0, 0.02, "embedding variance (N(0,1))");
    double bound = 1 / Math.sqrt(100);
    for (String name : new String[] {"rnn.weight_ih_l0", "rnn.weight_hh_l1_reverse", "rnn.bias_ih_l1"}) {
      float[] w = p.require(name).values();
      double s2 = 0;
      for (float x : w) {
        assertTrue(Math.abs(x) <= bound, name + " outside U(-1/sqrt(H), 1/sqrt(H))");
        s2 += x * x;
      }
      if (w.length > 1000) {
        assertEquals(bound * bound / 3, s2 / w.length, 0.05 * bound * bound / 3, name + " variance");
      }
    }
    double fcBound = 1 / Math.sqrt(200);
    for (float x : p.require("fc.weight").values()) {
      assertTrue(Math.abs(x) <= fcBound, "fc.weight outside U(-1/sqrt(in), 1/sqrt(in))");
    }
  }

  @Test
  void dropout_trainingOnlyAndScaled() {
    ParameterSet params = new ParameterSet();
    RecurrentStack s = new RecurrentStack(params, "rnn.", CellType.GRU, 3, 16, 2, false, 0.5f);
    Init.recurrent(params, "rnn.", 16, TorchGenerator.seeded(1));
    float[] x = new float[2 * 4 * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i % 7) / 7f;
    }
    int[] lengths = {4, 3};
    float[] eval1 = s.forwardPadded(s.newCache(), x, lengths, 4, null, null, false, null).output;
    float[] eval2 = s.forwardPadded(s.newCache(), x, lengths, 4, null, null, false, null).output;
    assertArrayEquals(eval1, eval2, "no dropout in evaluation");
    RecurrentStack.Cache c = s.newCache();
    float[] train = s.forwardPadded(c, x, lengths, 4, null, null, true, new Rng(2)).output;
    boolean differs = false;
    for (int i = 0; i < train.length; i++) {
      differs |= train[i] != eval1[i];
    }
    assertTrue(differs, "training applies dropout between layers");
    float[] mask = c.masks[0];
    int zeros = 0;
    int n = c.layout().tokens() * 16;
    for (int i = 0; i < n; i++) {
      assertTrue(mask[i] == 0f || mask[i] == 2f, "mask is 0 or 1/(1-p)");
      zeros += mask[i] == 0f ? 1 : 0;
    }
    assertTrue(zeros > n / 4 && zeros < 3 * n / 4, "about half dropped: " + zeros + " of " + n);
    float[] again = s.forwardPadded(s.newCache(), x, lengths, 4, null, null, true, new Rng(2)).output;
    assertArrayEquals(train, again, "masks are deterministic under a seed");
  }
}
