package org.rnn4j.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.rnn4j.testing.Golden.assertClose;
import static org.rnn4j.testing.Golden.floats;
import static org.rnn4j.testing.Golden.ints;

import org.junit.jupiter.api.Test;
import org.rnn4j.io.Safetensors;
import org.rnn4j.testing.Golden;

/** Draws of torch.manual_seed / random.seed recorded by tools/golden/make_golden.py (random_case). */
class TorchGeneratorTest {
  private static final Safetensors.Contents F = Golden.load("random_draws");
  // -1: torch.manual_seed keeps the low 32 bits (0xFFFFFFFF), random.seed the absolute value.
  private static final long[] SEEDS = {0, 1, 3, (1L << 40) + 7, -1};

  private static float[] uniform(TorchGenerator g, int n, double from, double to) {
    float[] a = new float[n];
    g.uniform(a, 0, n, from, to);
    return a;
  }

  private static float[] normal(TorchGenerator g, int n, double mean, double std) {
    float[] a = new float[n];
    g.normal(a, 0, n, mean, std);
    return a;
  }

  @Test
  void uniformAndNormal_matchPyTorchDrawForDraw() {
    for (long seed : SEEDS) {
      String s = "s" + seed + ".";
      TorchGenerator g = TorchGenerator.seeded(seed);
      // uniform_ is exact: the same 24 bits and the same float arithmetic.
      assertArrayEquals(floats(F, s + "uniform_5"), uniform(g, 5, -0.25, 0.75), s + "uniform_5");
      // normal_ of 16+ values runs PyTorch's AVX2 kernel, whose log and sincos are Cephes polynomials;
      // the JDK's are exact to an ulp: measured max |diff| 4.8e-7 (2 ulp near |x| = 2..4), bound 1e-6.
      // Below 16 values (double Box-Muller) the draws are identical.
      assertClose(s + "normal_5", floats(F, s + "normal_5"), normal(g, 5, 0, 1), 1e-6, 0);
      assertClose(s + "normal_16", floats(F, s + "normal_16"), normal(g, 16, 0.5, 2), 1e-6, 1e-6);
      assertClose(s + "normal_37", floats(F, s + "normal_37"), normal(g, 37, 0, 1), 1e-6, 0);
      assertClose(s + "normal_3", floats(F, s + "normal_3"), normal(g, 3, 0, 1), 1e-6, 0);
      double b = 1 / Math.sqrt(3);
      assertArrayEquals(floats(F, s + "uniform_1000"), uniform(g, 1000, -b, b), s + "uniform_1000");
      assertClose(s + "normal_4099", floats(F, s + "normal_4099"), normal(g, 4099, 0, 1), 1e-6, 0);
    }
  }

  @Test
  void pythonShuffle_matchesRandomShuffleOverEpochs() {
    for (long seed : SEEDS) {
      PythonRandom r = new PythonRandom(seed);
      for (int epoch = 1; epoch <= 3; epoch++) {
        int[] idx = new int[1000];
        for (int i = 0; i < idx.length; i++) {
          idx[i] = i;
        }
        r.shuffle(idx, idx.length);
        assertArrayEquals(ints(F, "s" + seed + ".shuffle_1000_epoch" + epoch), idx, "seed " + seed + " epoch " + epoch);
      }
    }
  }
}
