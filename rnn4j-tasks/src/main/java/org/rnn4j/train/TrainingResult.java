package org.rnn4j.train;

import org.rnn4j.persist.EpochMetrics;
import java.nio.file.Path;
import java.util.List;

/** How a training run ended. */
public final class TrainingResult {
  private final Path directory;
  private final List<EpochMetrics> history;
  private final EpochMetrics best;
  private final boolean interrupted;
  private final boolean stoppedEarly;
  private final long skippedBatches;

  public TrainingResult(Path directory, List<EpochMetrics> history, EpochMetrics best, boolean interrupted,
                        boolean stoppedEarly, long skippedBatches) {
    this.directory = directory;
    this.history = List.copyOf(history);
    this.best = best;
    this.interrupted = interrupted;
    this.stoppedEarly = stoppedEarly;
    this.skippedBatches = skippedBatches;
  }

  public Path directory() {
    return directory;
  }

  /** One entry per completed epoch. */
  public List<EpochMetrics> history() {
    return history;
  }

  /** Metrics of the epoch whose model is in the directory, or null when no epoch completed. */
  public EpochMetrics best() {
    return best;
  }

  /** True when a stop request ended the run; a checkpoint allows resuming it. */
  public boolean interrupted() {
    return interrupted;
  }

  public boolean stoppedEarly() {
    return stoppedEarly;
  }

  /** Batches skipped because of NaN or infinity (with on-nan = skip). */
  public long skippedBatches() {
    return skippedBatches;
  }
}
