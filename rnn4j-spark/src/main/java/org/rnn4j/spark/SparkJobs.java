package org.rnn4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.util.LongAccumulator;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.classify.TrainingConfig;
import org.rnn4j.train.TrainingControl;
import org.rnn4j.train.TrainingResult;

/**
 * The jobs of {@code rnn4j spark}, with signatures free of Spark's types so that the command line
 * compiles and starts without Spark on its class path; Spark is needed only once a job runs.
 */
public final class SparkJobs {
  /** The formats Spark writes here, and reads (text too: one text per line). */
  public static final Set<String> FORMATS = Set.of("csv", "parquet", "json");
  /** Training data may also be AG News' own CSV (no header; class, title, description). */
  public static final String AGNEWS = "agnews";
  /** What training reads: `rnn4j train`'s formats (agnews, csv, tsv, jsonl) and Spark's parquet and json. */
  static final Set<String> TRAINING_FORMATS = Set.of("csv", "tsv", "parquet", "json", "jsonl", AGNEWS);

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
    if (!inputFormat.equals("text")) {
      checkFormat("inputFormat", inputFormat);
    }
    checkFormat("outputFormat", outputFormat);
    SparkSession spark = session(master);
    long t0 = System.nanoTime();
    Dataset<Row> in = spread(spark, read(spark, input, inputFormat));
    LongAccumulator rows = spark.sparkContext().longAccumulator("rnn4j rows");
    LongAccumulator scored = spark.sparkContext().longAccumulator("rnn4j scored rows");
    Dataset<Row> out = Rnn4jSpark.predict(in, textColumn, model, rows, scored);
    if (outputFormat.equals("csv") && Set.of(out.columns()).contains(Scoring.PROBABILITIES)) {
      out = out.withColumn(Scoring.PROBABILITIES, functions.to_json(new Column(Scoring.PROBABILITIES)));
    }
    // One pass: the counts come from accumulators of the write's own tasks (a retried task may count
    // twice; the counts are a report, not data).
    out.write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).format(outputFormat)
        .option("header", "true").option("escape", "\"").save(output);
    return new ScoreSummary(rows.value(), scored.value(), (System.nanoTime() - t0) / 1e9);
  }

  /**
   * At least one partition per core: a file Spark cannot split (a CSV read with multi-line quoting)
   * arrives as one partition, and would be scored by one task while the other cores wait.
   */
  static Dataset<Row> spread(SparkSession spark, Dataset<Row> in) {
    int cores = spark.sparkContext().defaultParallelism();
    return in.rdd().getNumPartitions() < cores ? in.repartition(cores) : in;
  }

  /**
   * Trains a classifier on Spark from the files at {@code data} and {@code valid} (null: none; then
   * validFraction must be 0), read in {@code format}; {@code partitions} > 0 repartitions the
   * training data (which reorders its rows), 0 keeps Spark's split of the files, in file order.
   */
  public static TrainingResult train(String master, String data, String valid, String format, int partitions,
                                     int syncEvery, TrainingConfig config, String out, TrainingControl control)
      throws IOException {
    checkTrainingFormat(format);
    SparkSession spark = session(master);
    List<String> classes = format.equals(AGNEWS) ? AgNews.classNames(spark, data) : null;
    TrainingConfig cfg = format.equals(AGNEWS) ? config.toBuilder().labelColumn(AgNews.LABEL)
        .textColumn(AgNews.TEXT).build() : config;
    return Rnn4jSpark.trainClassifier(trainingRows(spark, data, format, partitions),
        valid == null ? null : readLabelled(spark, valid, format), cfg, out, control, syncEvery, classes);
  }

  private static void checkTrainingFormat(String format) {
    if (!TRAINING_FORMATS.contains(format)) {
      throw new InvalidSettingException("{format} must be csv, tsv, parquet, json (or jsonl) or agnews, got '"
          + format + "'");
    }
  }

  /** Labelled rows: AG News' headerless class,title,description as label and text, or any other format as is. */
  static Dataset<Row> readLabelled(SparkSession spark, String path, String format) {
    return format.equals(AGNEWS) ? AgNews.read(spark, path) : read(spark, path, format);
  }

  /** Continues a Spark training run from its checkpoint in {@code dir}; the data must be what it started with. */
  public static TrainingResult resume(String master, String data, String valid, String format, int partitions,
                                      String dir, TrainingControl control) throws IOException {
    checkTrainingFormat(format);
    SparkSession spark = session(master);
    return Rnn4jSpark.resumeClassifier(trainingRows(spark, data, format, partitions),
        valid == null ? null : readLabelled(spark, valid, format), dir, control);
  }

  private static Dataset<Row> trainingRows(SparkSession spark, String data, String format, int partitions) {
    if (partitions < 0) {
      throw new InvalidSettingException("{partitions} must be 0 (as read) or positive, got " + partitions);
    }
    Dataset<Row> rows = readLabelled(spark, data, format);
    return partitions > 0 ? rows.repartition(partitions) : rows;
  }

  /**
   * Spark's reader for a format: CSV with a header row and RFC 4180 quoting (a quote doubled inside
   * quotes, newlines inside quotes, which makes a CSV file one partition); text is one text per line,
   * in a column named text, as `rnn4j predict` reads stdin.
   */
  static Dataset<Row> read(SparkSession spark, String path, String format) {
    return switch (format) {
      case "csv" -> spark.read().option("header", "true").option("escape", "\"").option("multiLine", "true").csv(path);
      case "tsv" -> spark.read().option("header", "true").option("sep", "\t").option("escape", "\"")
          .option("multiLine", "true").csv(path);
      case "json", "jsonl" -> spark.read().json(path);
      case "text" -> spark.read().text(path).withColumnRenamed("value", "text");
      default -> spark.read().parquet(path);
    };
  }

  static void checkFormat(String setting, String format) {
    if (!FORMATS.contains(format)) {
      throw new InvalidSettingException("{" + setting + "} must be csv, parquet or json" + (setting.equals("inputFormat")
          ? " (or text, one per line)" : "") + ", got '" + format + "'");
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
