package org.rnn4j.train;

import java.io.IOException;
import org.rnn4j.persist.EpochMetrics;

/**
 * Behaviour composed around {@link TrainingLoop}, as DJL composes its {@code TrainingListener}s
 * around {@code EasyTrain.fit}: checkpoints, the best model, metrics files, early stopping,
 * progress, the JIT watch. Each sees the shared {@link RunState}; the loop calls them in the order
 * it was given them.
 */
interface LoopListener {
  default void epochStarted(RunState run) {}

  /** A batch was trained (or skipped); {@code run.batchInEpoch} is the next one. */
  default void batchFinished(RunState run) throws IOException {}

  default void evaluating(RunState run) {}

  /** Epoch {@code metrics.epoch()} ended; {@code best} when it is the best so far. */
  default void epochFinished(RunState run, EpochMetrics metrics, EpochScore score, boolean best) throws IOException {}

  /** The run moved on to the next epoch ({@code run.epoch}) after {@code finished}. */
  default void epochAdvanced(RunState run, EpochMetrics finished, EpochScore score) throws IOException {}
}
