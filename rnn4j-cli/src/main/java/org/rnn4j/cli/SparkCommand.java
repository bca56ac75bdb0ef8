package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.io.Json;
import org.rnn4j.spark.SparkJobs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnn4j spark}: the jobs of rnn4j-spark, run by Spark (see docs/spark.md). */
@Command(name = "spark", mixinStandardHelpOptions = true, subcommands = {SparkCommand.Score.class},
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
    @Option(names = "--input-format", defaultValue = "parquet", paramLabel = "FMT", description = "csv (with a header), parquet or json lines (default: ${DEFAULT-VALUE}).")
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
}
