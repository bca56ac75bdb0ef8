package org.rnn4j.cli;

import org.rnn4j.math.Parallel;

/** Small helpers shared by commands. */
final class Commands {
  private Commands() {}

  /** Applies --threads (validated) to the worker pool. */
  static void threads(Integer threads) {
    if (threads == null) {
      return;
    }
    if (threads < 1 || threads > 1024) {
      throw new UsageException("--threads must be in 1..1024, got " + threads);
    }
    Parallel.setThreads(threads);
  }

  /**
   * --resume takes the run's recorded settings, so only the flags in allowed may come with it;
   * returns the --threads value for the resumed run (0 = all cores).
   */
  static int resumeThreads(picocli.CommandLine.Model.CommandSpec spec, java.util.Set<String> allowed, Integer threads) {
    for (picocli.CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
      if (!allowed.contains(o.longestName())) {
        throw new UsageException("--resume continues the recorded run with its own settings; "
            + o.longestName() + " cannot be combined with it");
      }
    }
    if (threads != null && threads < 1) {
      throw new UsageException("--threads must be at least 1, got " + threads);
    }
    return threads == null ? 0 : threads;
  }

  /** The checks before a fresh run: --data and --out are required. */
  static void requireDataAndOut(Object data, Object out) {
    if (data == null) {
      throw new UsageException("--data is required (or --resume DIR to continue a run)");
    }
    if (out == null) {
      throw new UsageException("--out is required: the model directory to write");
    }
  }

  /** The JSON line that ends a training command: the model directory and its best epoch. */
  static String summaryJson(java.nio.file.Path dir, org.rnn4j.train.TrainingResult r) {
    org.rnn4j.train.EpochMetrics best = r.best();
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("model", dir.toString());
    m.put("epochs", r.history().size());
    m.put("best_epoch", best == null ? null : best.epoch());
    m.put("best", best == null ? null : best.values());
    m.put("stopped_early", r.stoppedEarly());
    return org.rnn4j.io.Json.write(m);
  }

  /** Tells how to resume a stopped run; true when it was stopped. */
  static boolean reportInterrupted(String command, org.rnn4j.train.TrainingResult r, java.nio.file.Path dir) {
    if (r.interrupted()) {
      System.err.println("rnn4j " + command + ": interrupted; continue with: ./rnn4j " + command + " --resume " + dir);
    }
    return r.interrupted();
  }

  /** One way to run a training: fresh or resumed, given the control. */
  interface TrainingRun {
    org.rnn4j.train.TrainingResult run(org.rnn4j.train.TrainingControl control) throws java.io.IOException;
  }

  /** Checks the flags of a fresh run and returns it; called before Ctrl-C is wired. */
  interface FreshRun {
    TrainingRun prepare();
  }

  /**
   * Runs --resume DIR (only the flags in resumeOptions allowed) or a fresh run, with Ctrl-C and
   * SIGTERM writing a checkpoint and stopping.
   */
  static org.rnn4j.train.TrainingResult train(picocli.CommandLine.Model.CommandSpec spec,
      java.util.Set<String> resumeOptions, Integer threads, ProgressDisplay progress, boolean overwrite,
      java.nio.file.Path resume, TrainingRun resumed, FreshRun fresh) throws java.io.IOException {
    org.rnn4j.train.TrainingControl control = org.rnn4j.train.TrainingControl.of(progress).overwrite(overwrite);
    TrainingRun run;
    if (resume != null) {
      control.threads(resumeThreads(spec, resumeOptions, threads));
      run = resumed;
    } else {
      run = fresh.prepare();
    }
    Interrupts.stopOnInterrupt(control);
    return run.run(control);
  }

  /**
   * Ends a training command: the resume hint when interrupted (exit 130), the summary JSON with
   * --json, otherwise "best epoch N (detail); model saved in DIR". Returns the exit code.
   */
  static int reportTraining(String command, org.rnn4j.train.TrainingResult r, java.nio.file.Path dir, boolean json,
                            java.util.function.Function<org.rnn4j.train.EpochMetrics, String> detail) {
    if (reportInterrupted(command, r, dir)) {
      return Main.INTERRUPTED;
    }
    org.rnn4j.train.EpochMetrics best = r.best();
    if (json) {
      System.out.println(summaryJson(dir, r));
    } else if (best != null) {
      System.out.printf(java.util.Locale.ROOT, "best epoch %d%s; model saved in %s%n", best.epoch(), detail.apply(best), dir);
    }
    return 0;
  }
}
