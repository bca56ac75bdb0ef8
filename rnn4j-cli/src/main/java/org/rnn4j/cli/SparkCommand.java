package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rnn4j.classify.TrainingConfig;
import org.rnn4j.io.Json;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.spark.SparkJobs;
import org.rnn4j.train.TrainingControl;
import org.rnn4j.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnn4j spark}: the jobs of rnn4j-spark, run by Spark (see docs/spark.md). */
@Command(name = "spark", mixinStandardHelpOptions = true, subcommands = {SparkCommand.Score.class, SparkCommand.Train.class},
    description = {"Score or train on Apache Spark (./rnn4j adds Spark's jars; on a cluster: spark-submit, "
        + "see docs/spark.md)."})
final class SparkCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Spark's classes, or a one-line error saying how to get them. */
  static void requireSpark() {
    try {
      Class.forName("org.apache.spark.sql.SparkSession", false, SparkCommand.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new UsageException("Spark is not on the class path: run `./rnn4j spark ...` from the repository "
          + "(it adds Spark's jars from the build), or spark-submit rnn4j.jar on a cluster (docs/spark.md)");
    }
  }

  @Command(name = "score", sortOptions = false, mixinStandardHelpOptions = true,
      description = "Append each row's prediction (a classifier) or loss (a language model) and write the rows.")
  static final class Score implements Callable<Integer> {
    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[2] (default: spark-submit's).")
    String master;
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
    Path model;
    @Option(names = "--input", required = true, paramLabel = "PATH", description = "Input file or directory (any path Spark reads: file, hdfs://, s3a://).")
    String input;
    @Option(names = "--input-format", defaultValue = "parquet", paramLabel = "FMT", description = "csv (with a header), parquet, json lines, or text (one per line, as `rnn4j predict` reads) (default: ${DEFAULT-VALUE}).")
    String inputFormat;
    @Option(names = "--text-column", defaultValue = "text", description = "Column holding the text (default: ${DEFAULT-VALUE}).")
    String textColumn;
    @Option(names = "--output", required = true, paramLabel = "PATH", description = "Output directory (refused when it exists, unless --overwrite).")
    String output;
    @Option(names = "--output-format", defaultValue = "parquet", paramLabel = "FMT", description = "csv, parquet or json (default: ${DEFAULT-VALUE}).")
    String outputFormat;
    @Option(names = "--overwrite", description = "Replace an existing output.")
    boolean overwrite;
    @Option(names = "--json", description = "Print the summary as one JSON line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      requireSpark();
      try {
        SparkJobs.ScoreSummary s = SparkJobs.score(master, model, input, inputFormat.toLowerCase(Locale.ROOT),
            textColumn, output, outputFormat.toLowerCase(Locale.ROOT), overwrite);
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("rows", s.rows());
          m.put("scored", s.scored());
          m.put("seconds", s.seconds());
          m.put("output", output);
          System.out.println(Json.write(m));
        } else {
          System.out.printf(Locale.ROOT, "scored %d of %d rows in %.1f s -> %s%n", s.scored(), s.rows(), s.seconds(),
              output);
        }
        return 0;
      } finally {
        SparkJobs.stop();
      }
    }
  }

  @Command(name = "train", sortOptions = false, mixinStandardHelpOptions = true,
      description = {"Train a text classifier data-parallel on Spark: each step's batch is split across the "
          + "partitions, their gradients summed, the optimizer applied on the driver.",
          "Takes every flag of `rnn4j train`; --data and --valid are read by Spark (file, hdfs://, s3a://)."})
  static final class Train implements Callable<Integer> {
    /** What may come with --resume besides the usual: where the data is, as the run needs it again. */
    private static final Set<String> RESUMABLE = Set.of("--master", "--data", "--valid", "--format", "--partitions");
    // --sync-every is recorded in the checkpoint, as the run's other settings are

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[2] (default: spark-submit's).")
    String master;
    @Option(names = "--data", paramLabel = "PATH", description = "Training data with a label and a text column.")
    String data;
    @Option(names = "--valid", paramLabel = "PATH", description = "Validation data, evaluated after every epoch.")
    String valid;
    @Option(names = "--valid-fraction", paramLabel = "F", description = "0: train without validation when --valid is not given (holding out a fraction is not done on Spark; give --valid).")
    Double validFraction;
    @Option(names = "--format", defaultValue = "csv", paramLabel = "FMT", description = "csv or tsv (with a header), parquet, json lines (json or jsonl), or agnews (AG News' own CSV) (default: ${DEFAULT-VALUE}).")
    String format;
    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N", description = "Repartition the training data into N partitions (reorders its rows); 0 keeps Spark's split of the files (default: ${DEFAULT-VALUE}).")
    int partitions;
    @Option(names = "--sync-every", defaultValue = "1", paramLabel = "K", description = "Average the partitions' weights every K steps (local SGD: each partition steps on its own in between); 1 sums their gradients every step, equal to single-process training (default: ${DEFAULT-VALUE}).")
    int syncEvery;
    @picocli.CommandLine.Mixin
    RunOptions run;
    @picocli.CommandLine.Mixin
    RecipeOptions recipe;
    @picocli.CommandLine.Mixin
    ClassifierOptions classifier;

    /** A flag's value as typed: a Path would fold hdfs://host/dir into hdfs:/host/dir. */
    private String raw(String option) {
      return spec.commandLine().getParseResult().matchedOption(option).stringValues().get(0);
    }

    @Override
    public Integer call() throws Exception {
      requireSpark();
      if (syncEvery < 1) {
        throw new UsageException("--sync-every must be >= 1, got " + syncEvery);
      }
      if (data == null) {
        throw new UsageException("--data is required" + (run.resume == null ? " (or --resume DIR with the run's --data)"
            : ": a Spark run reads its data again to resume"));
      }
      String fmt = format.toLowerCase(Locale.ROOT);
      ProgressDisplay progress = new ProgressDisplay(System.out, System.err, run.json, "samples");
      TrainingControl control = TrainingControl.of(progress).overwrite(run.overwrite);
      TrainingResult result;
      try {
        if (run.resume != null) {
          for (picocli.CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (!RunOptions.RESUMABLE.contains(o.longestName()) && !RESUMABLE.contains(o.longestName())) {
              throw new UsageException("--resume continues the recorded run with its own settings; "
                  + o.longestName() + " cannot be combined with it");
            }
          }
          Interrupts.stopOnInterrupt(control);
          result = SparkJobs.resume(master, data, valid, fmt, partitions, raw("--resume"), control);
        } else {
          if (run.out == null) {
            throw new UsageException("--out is required: the model directory to write");
          }
          if (validFraction != null && (validFraction != 0 || valid != null)) {
            throw new UsageException(valid != null ? "give either --valid or --valid-fraction, not both"
                : "--valid-fraction " + validFraction + ": holding out a fraction is not done on Spark; give --valid, "
                + "or --valid-fraction 0 to train without validation");
          }
          TrainingConfig cfg = classifier.applyTo(recipe.applyTo(TrainingConfig.builder(), run))
              .validFraction(valid == null ? 0 : 0.1).build();
          Interrupts.stopOnInterrupt(control);
          result = SparkJobs.train(master, data, valid, fmt, partitions, syncEvery, cfg, raw("--out"), control);
        }
      } finally {
        SparkJobs.stop();
      }
      String dir = raw(run.resume != null ? "--resume" : "--out");
      if (result.interrupted()) {
        System.err.println("rnn4j spark train: interrupted; continue with: ./rnn4j spark train --resume "
            + dir + " --data " + data + (valid == null ? "" : " --valid " + valid)
            + (master == null ? "" : " --master '" + master + "'"));
        return Main.INTERRUPTED;
      }
      EpochMetrics best = result.best();
      if (run.json) {
        System.out.println(Commands.summaryJson(dir, result));
      } else if (best != null) {
        double acc = best.get(EpochMetrics.VALID_ACCURACY);
        System.out.printf(Locale.ROOT, "best epoch %d%s; model saved in %s%n", best.epoch(), Double.isNaN(acc) ? ""
            : String.format(Locale.ROOT, " (valid accuracy %.4f, macro-F1 %.4f)", acc,
            best.get(EpochMetrics.VALID_MACRO_F1)), dir);
      }
      return 0;
    }
  }
}
