package org.rnn4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.rnn4j.io.AtomicFiles;
import org.rnn4j.optim.Optimizer;
import org.rnn4j.persist.Checkpoint;
import org.rnn4j.persist.EpochMetrics;

/**
 * Writes the checkpoint a run resumes from: at the end of every epoch (with a copy named by epoch
 * and score under {@code checkpoints/}), inside an epoch at most every {@code checkpointSeconds},
 * and when a stop is requested. Each write replaces the file atomically.
 */
final class Checkpointing implements LoopListener {
  private final TrainingTask task;
  private final Optimizer optimizer;
  private long lastWrite = System.nanoTime();

  Checkpointing(TrainingTask task, Optimizer optimizer) {
    this.task = task;
    this.optimizer = optimizer;
  }

  /** Writes the checkpoint now. */
  void write(RunState run) throws IOException {
    Checkpoint.write(run.out.resolve(Checkpoint.FILE), run.toCheckpoint(task), task.parameters(), optimizer.state(),
        task.checkpointTensors());
    run.checkpointsWritten++;
    lastWrite = System.nanoTime();
  }

  @Override
  public void batchFinished(RunState run) throws IOException {
    int seconds = run.settings.checkpointSeconds();
    if (seconds > 0 && System.nanoTime() - lastWrite > seconds * 1_000_000_000L
        && run.batchInEpoch < task.batchesPerEpoch()) {
      run.lap();
      write(run);
    }
  }

  @Override
  public void epochAdvanced(RunState run, EpochMetrics finished, EpochScore score) throws IOException {
    write(run);
    Path copy = run.out.resolve(Checkpoint.COPIES).resolve(String.format(Locale.ROOT, "epoch-%03d-valid-%.4f.safetensors",
        finished.epoch(), score.loss()));
    AtomicFiles.write(copy, o -> Files.copy(run.out.resolve(Checkpoint.FILE), o));
  }
}
