package org.rnn4j.optim;

import org.rnn4j.math.Ops;
import org.rnn4j.nn.ParameterSet;

/** torch.nn.utils.clip_grad_norm_ over all parameters (2-norm). */
public final class GradientClipping {
  private GradientClipping() {}

  /** The global 2-norm of all gradients. */
  public static double globalNorm(ParameterSet params) {
    return Math.sqrt(Ops.sumSquares(params.grad(), 0, params.size()));
  }

  /**
   * Scales all gradients by min(1, maxNorm / (norm + 1e-6)) and returns the norm before scaling
   * (NaN or infinite when a gradient is).
   */
  public static double clipByGlobalNorm(ParameterSet params, double maxNorm) {
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException("max norm must be > 0, got " + maxNorm);
    }
    double norm = globalNorm(params);
    double coef = maxNorm / (norm + 1e-6);
    if (coef < 1) {
      Ops.scale((float) coef, params.grad(), 0, params.size());
    }
    return norm;
  }
}
