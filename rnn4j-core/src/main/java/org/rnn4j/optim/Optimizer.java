package org.rnn4j.optim;

import java.util.Map;
import org.rnn4j.nn.Parameter;

/**
 * Updates a {@link org.rnn4j.nn.ParameterSet} from its gradients. {@link #step(double)} also zeroes
 * the gradients in the same pass (the update is the gradient's last reader), so a training loop is
 * forward, backward, step.
 */
public interface Optimizer {
  /** Applies one update with learning rate lr, then zeroes the gradients. */
  void step(double lr);

  /**
   * A hint for the next {@link #step}: the gradient of this matrix parameter is zero outside these
   * rows (an embedding's, outside the batch's tokens). The result must not change; an optimizer may
   * use it to skip reading zeros, or ignore it.
   */
  default void gradientRows(Parameter param, int[] rows, int count) {}

  /** Number of updates applied so far. */
  long steps();

  /**
   * Σ g² of the gradient the last {@link #step} consumed, accumulated in the same pass (so NaN or
   * infinity in any gradient shows here without a separate pass); NaN before the first step.
   */
  double lastGradientSumSquares();

  /**
   * The optimizer's state as named arrays, for checkpoints (the step count is in "step"). The
   * moment arrays are the live ones, not copies: a checkpoint streams them to disk without a second
   * copy of a large model's state. Read them before the next {@link #step}; never modify them.
   */
  Map<String, float[]> state();

  /** Restores {@link #state()}. */
  void loadState(Map<String, float[]> state);

  /** A short description such as {@code adam(b1=0.9, b2=0.999, eps=1e-08, wd=0)}. */
  String describe();
}
