package org.rnn4j.nn;

import org.rnn4j.random.TorchGenerator;

/**
 * PyTorch's default initialisation, drawn from {@link TorchGenerator} in PyTorch's order, so a
 * model built after {@code TorchGenerator.seeded(n)} starts from the weights PyTorch builds after
 * {@code torch.manual_seed(n)}.
 */
public final class Init {
  private Init() {}

  /** {@code nn.init.uniform_(p, lo, hi)}; the bounds are rounded to float as PyTorch does. */
  public static void uniform(Parameter p, double lo, double hi, TorchGenerator g) {
    g.uniform(p.data(), p.offset(), p.size(), lo, hi);
    p.owner().touch();
  }

  /**
   * nn.RNN/LSTM/GRU {@code reset_parameters}: every weight and bias U(-1/√H, 1/√H), in
   * registration order, for all parameters of the set whose names start with {@code prefix}.
   */
  public static void recurrent(ParameterSet params, String prefix, int hidden, TorchGenerator g) {
    double bound = 1.0 / Math.sqrt(hidden);
    for (Parameter p : params.parameters()) {
      if (p.name().startsWith(prefix)) {
        uniform(p, -bound, bound, g);
      }
    }
  }
}
