package org.rnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Json;
import org.rnn4j.lm.LanguageModel;
import org.rnn4j.translate.Translator;
import org.rnn4j.math.Parallel;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.train.RunSettings;
import org.rnn4j.train.TrainingControl;
import org.rnn4j.train.TrainingResult;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Small helpers shared by commands. */
final class Commands {
  private Commands() {}

  /** --threads checked against 1..{@link RunSettings#MAX_THREADS}; 0 when not given (all cores). */
  static int threadCount(Integer threads) {
    if (threads == null) {
      return 0;
    }
    if (threads < 1 || threads > RunSettings.MAX_THREADS) {
      throw new UsageException("--threads must be in 1.." + RunSettings.MAX_THREADS + ", got " + threads);
    }
    return threads;
  }

  /** Applies --threads (checked) to the worker pool. */
  static void threads(Integer threads) {
    int n = threadCount(threads);
    if (n > 0) {
      Parallel.setThreads(n);
    }
  }

  /** --resume takes the run's recorded settings, so only {@link RunOptions#RESUMABLE} may come with it. */
  static void checkResumeFlags(CommandSpec spec) {
    for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
      if (!RunOptions.RESUMABLE.contains(o.longestName())) {
        throw new UsageException("--resume continues the recorded run with its own settings; "
            + o.longestName() + " cannot be combined with it");
      }
    }
  }

  /** The checks before a fresh run: --data and --out are required. */
  static void requireDataAndOut(Path data, Path out) {
    if (data == null) {
      throw new UsageException("--data is required (or --resume DIR to continue a run)");
    }
    if (out == null) {
      throw new UsageException("--out is required: the model directory to write");
    }
  }

  /** The JSON line that ends a training command: the model directory and its best epoch. */
  static String summaryJson(Path dir, TrainingResult r) {
    return summaryJson(dir.toString(), r);
  }

  /** As above, for a directory named by a URI (a Spark run's hdfs:// or s3a:// directory). */
  static String summaryJson(String dir, TrainingResult r) {
    EpochMetrics best = r.best();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", dir);
    m.put("epochs", r.history().size());
    m.put("best_epoch", best == null ? null : best.epoch());
    m.put("best", best == null ? null : best.values());
    m.put("stopped_early", r.stoppedEarly());
    return Json.write(m);
  }

  /** Tells how to resume a stopped run; true when it was stopped. */
  static boolean reportInterrupted(String command, TrainingResult r, Path dir) {
    if (r.interrupted()) {
      System.err.println("rnn4j " + command + ": interrupted; continue with: ./rnn4j " + command + " --resume " + dir);
    }
    return r.interrupted();
  }

  /** One way to run a training: fresh or resumed, given the control. */
  interface TrainingRun {
    TrainingResult run(TrainingControl control) throws IOException;
  }

  /** Checks the flags of a fresh run and returns it; called before Ctrl-C is wired. */
  interface FreshRun {
    TrainingRun prepare();
  }

  /**
   * Runs --resume DIR (only {@link RunOptions#RESUMABLE} flags allowed) or a fresh run, with Ctrl-C
   * and SIGTERM writing a checkpoint and stopping.
   */
  static TrainingResult train(CommandSpec spec, RunOptions options, ProgressDisplay progress,
                              TrainingRun resumed, FreshRun fresh) throws IOException {
    TrainingControl control = TrainingControl.of(progress).overwrite(options.overwrite);
    TrainingRun run;
    if (options.resume != null) {
      checkResumeFlags(spec);
      control.threads(options.threads());
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
  static int reportTraining(String command, TrainingResult r, RunOptions options,
                            Function<EpochMetrics, String> detail) {
    Path dir = options.modelDir();
    if (reportInterrupted(command, r, dir)) {
      return Main.INTERRUPTED;
    }
    EpochMetrics best = r.best();
    if (options.json) {
      System.out.println(summaryJson(dir, r));
    } else if (best != null) {
      System.out.printf(Locale.ROOT, "best epoch %d%s; model saved in %s%n", best.epoch(), detail.apply(best), dir);
    }
    return 0;
  }

  /** Loads a language model; on a classifier's directory the error says which commands fit it. */
  static LanguageModel loadLanguageModel(Path dir) throws IOException {
    try {
      return LanguageModel.load(dir);
    } catch (FormatException e) {
      if (e.getMessage().endsWith("task is classification, not language_model")) {
        throw new FormatException(e.getMessage() + " (use eval or predict for classifiers)");
      }
      throw e;
    }
  }

  /** Loads a translation model; on another task's directory the error says which commands fit it. */
  static Translator loadTranslator(Path dir) throws IOException {
    try {
      return Translator.load(dir);
    } catch (FormatException e) {
      String m = e.getMessage();
      if (m.endsWith("not translation")) {
        throw new FormatException(m + (m.contains("task is classification") ? " (use eval or predict for classifiers)"
            : " (use eval-lm or generate for language models)"));
      }
      throw e;
    }
  }
}
