package org.rnn4j.nn;

import org.rnn4j.math.Rng;

/** Parameter initialisation with PyTorch's default distributions. */
public final class Init {
  private Init() {}

  public static void uniform(Parameter p, float lo, float hi, Rng rng) {
    float[] d = p.data();
    for (int i = 0; i < p.size(); i++) {
      d[p.offset() + i] = rng.uniform(lo, hi);
    }
    p.owner().touch();
  }

  /**
   * nn.RNN/LSTM/GRU default: every weight and bias U(-1/√H, 1/√H). Initialises all parameters of
   * the set whose names start with {@code prefix}.
   */
  public static void recurrent(ParameterSet params, String prefix, int hidden, Rng rng) {
    float bound = (float) (1.0 / Math.sqrt(hidden));
    for (Parameter p : params.parameters()) {
      if (p.name().startsWith(prefix)) {
        uniform(p, -bound, bound, rng);
      }
    }
  }
}
