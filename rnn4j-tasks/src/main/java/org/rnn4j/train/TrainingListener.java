package org.rnn4j.train;

import org.rnn4j.persist.EpochMetrics;

/** Receives progress from a training run; all methods are called on the training thread. */
public interface TrainingListener {
  /** An epoch begins; {@code samples} is its size (sequences, or characters for language models). */
  default void epochStarted(int epoch, int epochs, long samples) {}

  /**
   * A batch finished. {@code done} counts the epoch's samples so far; loss and accuracy are the
   * epoch's running means (accuracy is NaN where it does not apply).
   */
  default void batchFinished(int epoch, long done, long samples, double loss, double accuracy) {}

  /** Validation is running. */
  default void evaluating(int epoch) {}

  /** An epoch finished, with its metrics row (as written to metrics.jsonl). */
  default void epochFinished(EpochMetrics metrics, boolean best) {}

  /** A line worth showing (checkpoint written, early stop, skipped batch...). */
  default void message(String text) {}

  TrainingListener NONE = new TrainingListener() {};
}
