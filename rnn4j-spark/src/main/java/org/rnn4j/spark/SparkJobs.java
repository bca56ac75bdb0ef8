package org.rnn4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.rnn4j.InvalidSettingException;

/**
 * The jobs of {@code rnn4j spark}, with signatures free of Spark's types so that the command line
 * compiles and starts without Spark on its class path; Spark is needed only once a job runs.
 */
public final class SparkJobs {
  /** The formats Spark reads and writes here. */
  public static final Set<String> FORMATS = Set.of("csv", "parquet", "json");

  private SparkJobs() {}

  /** What a scoring job did. */
  public record ScoreSummary(long rows, long scored, double seconds) {}

  /**
   * Reads {@code input}, appends the model's columns and writes {@code output} (a directory of part
   * files, as Spark writes). A CSV output holds {@code probabilities} as a JSON string, since CSV has
   * no map type.
   *
   * @param master Spark's master URL ({@code local[2]}, {@code yarn}, ...), or null for spark-submit's
   */
  public static ScoreSummary score(String master, Path model, String input, String inputFormat, String textColumn,
                                   String output, String outputFormat, boolean overwrite) throws IOException {
    checkFormat("inputFormat", inputFormat);
    checkFormat("outputFormat", outputFormat);
    SparkSession spark = session(master);
    long t0 = System.nanoTime();
    Dataset<Row> in = spread(spark, read(spark, input, inputFormat));
    Dataset<Row> out = Rnn4jSpark.predict(in, textColumn, model).cache();
    try {
      Dataset<Row> written = out;
      if (outputFormat.equals("csv") && Set.of(out.columns()).contains(Scoring.PROBABILITIES)) {
        written = out.withColumn(Scoring.PROBABILITIES, functions.to_json(new Column(Scoring.PROBABILITIES)));
      }
      written.write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).format(outputFormat)
          .option("header", "true").option("escape", "\"").save(output);
      String first = Scoring.outputColumns(taskOf(out)).fieldNames()[0];
      long rows = out.count();
      long scored = out.filter(functions.col(first).isNotNull()).count();
      return new ScoreSummary(rows, scored, (System.nanoTime() - t0) / 1e9);
    } finally {
      out.unpersist();
    }
  }

  /**
   * At least one partition per core: a file Spark cannot split (a CSV read with multi-line quoting)
   * arrives as one partition, and would be scored by one task while the other cores wait.
   */
  static Dataset<Row> spread(SparkSession spark, Dataset<Row> in) {
    int cores = spark.sparkContext().defaultParallelism();
    return in.rdd().getNumPartitions() < cores ? in.repartition(cores) : in;
  }

  private static String taskOf(Dataset<Row> scored) {
    return Set.of(scored.columns()).contains(Scoring.LOSS) ? ModelBytes.LANGUAGE_MODEL : ModelBytes.CLASSIFICATION;
  }

  /** Spark's reader for a format: CSV with a header row and RFC 4180 quoting (a quote doubled inside quotes). */
  static Dataset<Row> read(SparkSession spark, String path, String format) {
    return switch (format) {
      case "csv" -> spark.read().option("header", "true").option("escape", "\"").option("multiLine", "true").csv(path);
      case "json" -> spark.read().json(path);
      default -> spark.read().parquet(path);
    };
  }

  static void checkFormat(String setting, String format) {
    if (!FORMATS.contains(format)) {
      throw new InvalidSettingException("{" + setting + "} must be csv, parquet or json, got '" + format + "'");
    }
  }

  /**
   * The session: a local master binds to this machine only and runs without the web UI; any other
   * master (or none, under spark-submit) gets the cluster's own configuration.
   */
  static SparkSession session(String master) {
    SparkSession.Builder b = SparkSession.builder().appName("rnn4j");
    if (master != null) {
      b.master(master);
      if (master.toLowerCase(Locale.ROOT).startsWith("local")) {
        b.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
            .config("spark.ui.enabled", "false");
      }
    }
    SparkSession s = b.getOrCreate();
    s.sparkContext().setLogLevel("WARN");
    return s;
  }

  /** Stops the session the jobs started (the command line calls it before exiting). */
  public static void stop() {
    scala.Option<SparkSession> s = SparkSession.getDefaultSession();
    if (s.isDefined()) {
      s.get().stop();
    }
  }
}
