package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The flags of a training run that are not part of its recipe, shared by {@code train} and
 * {@code train-lm}: where the model goes, resuming, threads, what a NaN does, checkpoints, early
 * stopping, the per-epoch learning-rate decay, JSON.
 */
final class RunOptions {
  /** The flags --resume accepts: the run's recorded settings decide everything else. */
  static final Set<String> RESUMABLE = Set.of("--resume", "--json", "--threads");

  @Option(names = "--out", paramLabel = "DIR", description = "Model directory to write.")
  Path out;
  @Option(names = "--resume", paramLabel = "DIR", description = "Continue the interrupted run recorded in DIR.")
  Path resume;
  @Option(names = "--overwrite", description = "Replace a model already in --out.")
  boolean overwrite;
  @Option(names = "--threads", description = "Worker threads, 1..1024 (default: all cores).")
  Integer threads;
  @Option(names = "--on-nan", defaultValue = "stop", description = "stop, or skip a batch (train-lm: a window) whose "
      + "loss or gradient is NaN/Inf (default: ${DEFAULT-VALUE}).")
  String onNan;
  @Option(names = "--checkpoint-seconds", defaultValue = "300", description = "Also checkpoint inside an epoch this "
      + "often; 0 = only at epoch ends (default: ${DEFAULT-VALUE}).")
  int checkpointSeconds;
  @Option(names = "--patience", defaultValue = "0", description = "Stop after N epochs without a better validation "
      + "score (a classifier's accuracy, a language model's loss); 0 = never (default: ${DEFAULT-VALUE}).")
  int patience;
  @Option(names = "--lr-decay", defaultValue = "1", description = "Multiply the learning rate by this after every "
      + "epoch (default: ${DEFAULT-VALUE}).")
  double lrDecay;
  @Option(names = "--json", description = "Print one JSON object per epoch and a final summary on stdout.")
  boolean json;

  /** --threads checked, 0 when not given (all cores). */
  int threads() {
    return Commands.threadCount(threads);
  }

  /** The model directory this run writes: the resumed one, else --out. */
  Path modelDir() {
    return resume != null ? resume : out;
  }
}
