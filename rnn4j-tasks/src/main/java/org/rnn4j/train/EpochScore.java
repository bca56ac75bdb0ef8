package org.rnn4j.train;

/**
 * What the best epoch is chosen by: the higher accuracy, ties broken by the lower loss; where the
 * task has no accuracy (NaN), the lower loss alone.
 */
public record EpochScore(double accuracy, double loss) {
  /** A score by loss alone. */
  public static EpochScore ofLoss(double loss) {
    return new EpochScore(Double.NaN, loss);
  }

  /** True when this score beats the best so far. */
  boolean beats(double bestAccuracy, double bestLoss) {
    if (Double.isNaN(accuracy)) {
      return loss < bestLoss;
    }
    return accuracy > bestAccuracy || (accuracy == bestAccuracy && loss < bestLoss);
  }
}
