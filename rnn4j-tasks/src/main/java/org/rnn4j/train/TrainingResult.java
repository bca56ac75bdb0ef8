package org.rnn4j.train;

import java.nio.file.Path;
import java.util.List;
import org.rnn4j.persist.EpochMetrics;

/**
 * How a training run ended.
 *
 * @param directory the model directory the run wrote
 * @param history one entry per completed epoch
 * @param best the metrics of the epoch whose model is in the directory, or null when no epoch completed
 * @param interrupted true when a stop request ended the run; its checkpoint allows resuming it
 * @param stoppedEarly true when validation stopped improving for the run's patience
 * @param skippedBatches batches skipped because of NaN or infinity (with on-nan = skip)
 */
public record TrainingResult(Path directory, List<EpochMetrics> history, EpochMetrics best,
                             boolean interrupted, boolean stoppedEarly, long skippedBatches) {
  public TrainingResult {
    history = List.copyOf(history);
  }
}
