package org.rnn4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.classify.Classifier;
import org.rnn4j.classify.ClassifierTrainer;
import org.rnn4j.classify.TrainingConfig;
import org.rnn4j.persist.Checkpoint;
import org.rnn4j.train.TrainingControl;
import org.rnn4j.train.TrainingLoop;
import org.rnn4j.train.TrainingResult;

/**
 * rnn4j on Apache Spark. Scoring: {@link #predict} appends a model's columns to a DataFrame, and
 * {@link #register} makes the model a SQL function. The model travels to the executors as bytes in
 * a broadcast and is loaded once per executor JVM; each task scores its partition in batches on its
 * own thread. Training: {@link #trainClassifier}, synchronous data parallelism on the shared training loop.
 *
 * <p>A classifier appends {@code label} (string), {@code probability} (double, of the label) and
 * {@code probabilities} (map from class to probability); a language model appends {@code loss}
 * (nats per token) and {@code bits_per_char}. A null or empty text gets null columns.
 */
public final class Rnn4jSpark {
  /** The SQL function {@link #register} defines for the model registered last. */
  public static final String SQL_FUNCTION = "rnn4j_predict";

  private Rnn4jSpark() {}

  /**
   * The rows of {@code df} with the model's columns appended (lazily, as Spark evaluates).
   *
   * @throws IOException when the model directory is missing, corrupt or inconsistent (on the driver,
   *                     before any task runs)
   * @throws InvalidSettingException when {@code textColumn} is not a string column of {@code df}, or the
   *                     output columns already exist
   */
  public static Dataset<Row> predict(Dataset<Row> df, String textColumn, Path modelDir) throws IOException {
    return predict(df, textColumn, modelDir, null, null);
  }

  /** As above, counting the rows and the rows scored (a usable text) into the accumulators, when given. */
  static Dataset<Row> predict(Dataset<Row> df, String textColumn, Path modelDir, LongAccumulator rows,
                              LongAccumulator scored) throws IOException {
    ModelBytes model = ModelBytes.read(modelDir);
    int column = textColumnIndex(df.schema(), textColumn);
    StructType extra = Scoring.outputColumns(model.task());
    for (String name : extra.fieldNames()) {
      if (Arrays.asList(df.schema().fieldNames()).contains(name)) {
        throw new InvalidSettingException("the input already has a column '" + name + "', which the model's "
            + "output would repeat; rename or drop it first");
      }
    }
    StructType out = df.schema();
    for (StructField f : extra.fields()) {
      out = out.add(f);
    }
    Broadcast<ModelBytes> b = broadcast(df.sparkSession(), model);
    return df.mapPartitions(new Scoring(b, model.task(), column, rows, scored), Encoders.row(out));
  }

  /**
   * Makes the model callable from SQL as {@code rnn4j_predict(text)} (the model registered last)
   * and {@code rnn4j_predict_<name>(text)}, each returning a struct of the model's columns.
   *
   * @throws InvalidSettingException when {@code name} is not a SQL identifier
   */
  public static void register(SparkSession spark, String name, Path modelDir) throws IOException {
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new InvalidSettingException("{name} must be a SQL identifier (letters, digits, _), got '" + name + "'");
    }
    ModelBytes model = ModelBytes.read(modelDir);
    Broadcast<ModelBytes> b = broadcast(spark, model);
    StructType type = Scoring.outputColumns(model.task());
    UDF1<String, Row> f = text -> {
      Scoring.Scorer scorer = scorer(b);
      return scorer.score(List.of(RowFactory.create(text)), 0).get(0);
    };
    spark.udf().register(SQL_FUNCTION, f, type);
    spark.udf().register(SQL_FUNCTION + "_" + name, f, type);
  }

  /**
   * Trains a classifier data-parallel across the partitions of {@code train} and writes its model
   * directory to {@code out}, on the same training loop as {@link ClassifierTrainer#train}: with the
   * same data and seed it takes the same batches and ends with the same weights up to the rounding of
   * float sums (dropout aside, whose masks are drawn per partition). The data's columns are named by
   * the config's labelColumn and textColumn; {@code valid} may be null when validFraction is 0.
   */
  public static TrainingResult trainClassifier(Dataset<Row> train, Dataset<Row> valid, TrainingConfig config,
                                               Path out, TrainingControl control) throws IOException {
    return trainClassifier(train, valid, config, out, control, 1, null);
  }

  /**
   * As above with local SGD when {@code syncEvery} > 1: each partition takes that many optimizer
   * steps of its own (with its own optimizer state) between averagings of the weights, which moves
   * less data per example but no longer equals single-process training; resuming such a run starts
   * the partitions' optimizer states afresh.
   */
  public static TrainingResult trainClassifier(Dataset<Row> train, Dataset<Row> valid, TrainingConfig config,
                                               Path out, TrainingControl control, int syncEvery) throws IOException {
    return trainClassifier(train, valid, config, out, control, syncEvery, null);
  }

  /** As above, with the classes in index order given (null: the labels in label order). */
  static TrainingResult trainClassifier(Dataset<Row> train, Dataset<Row> valid, TrainingConfig config, Path out,
                                        TrainingControl control, int syncEvery, List<String> classes)
      throws IOException {
    requireValidation(valid, config);
    DistributedClassificationTask task = new DistributedClassificationTask(config, out, train, valid, classes,
        syncEvery);
    try {
      return TrainingLoop.fit(task, config, out, control);
    } finally {
      task.release();
    }
  }

  /** {@link #trainClassifier} with no progress output. */
  public static TrainingResult trainClassifier(Dataset<Row> train, Dataset<Row> valid, TrainingConfig config,
                                               Path out) throws IOException {
    return trainClassifier(train, valid, config, out, TrainingControl.silent());
  }

  /** Continues the run whose checkpoint is in {@code dir}, with the data it started with. */
  public static TrainingResult resumeClassifier(Dataset<Row> train, Dataset<Row> valid, Path dir,
                                                TrainingControl control) throws IOException {
    Checkpoint ck = Checkpoint.readForResume(dir, Classifier.TASK);
    TrainingConfig cfg = TrainingConfig.fromJson(ck.state().settings()).build();
    requireValidation(valid, cfg);
    Object k = ck.state().taskState().get(DistributedClassificationTask.SYNC_EVERY);
    DistributedClassificationTask task = new DistributedClassificationTask(cfg, dir, train, valid, null,
        k == null ? 1 : ((Number) k).intValue());
    try {
      return TrainingLoop.resume(task, cfg, dir, ck, control);
    } finally {
      task.release();
    }
  }

  /**
   * {@link #trainClassifier(Dataset, Dataset, TrainingConfig, Path, TrainingControl, int)} into a
   * directory named by a local path or by a Hadoop URI ({@code hdfs://}, {@code s3a://}, {@code file://}):
   * the run writes a local copy, pushed to the URI after each epoch and checkpoint and at the end.
   */
  public static TrainingResult trainClassifier(Dataset<Row> train, Dataset<Row> valid, TrainingConfig config,
                                               String out, TrainingControl control, int syncEvery) throws IOException {
    return trainClassifier(train, valid, config, out, control, syncEvery, null);
  }

  static TrainingResult trainClassifier(Dataset<Row> train, Dataset<Row> valid, TrainingConfig config, String out,
                                        TrainingControl control, int syncEvery, List<String> classes)
      throws IOException {
    if (!HadoopDirectory.isUri(out)) {
      return trainClassifier(train, valid, config, Path.of(out), control, syncEvery, classes);
    }
    HadoopDirectory d = HadoopDirectory.forNewRun(out, train.sparkSession().sparkContext().hadoopConfiguration(),
        control.overwrite());
    try {
      return trainClassifier(train, valid, config, d.local(), control.withListener(d.mirroring(control.listener())),
          syncEvery, classes);
    } finally {
      d.push();
    }
  }

  /** {@link #resumeClassifier(Dataset, Dataset, Path, TrainingControl)} of a run in a local path or a Hadoop URI. */
  public static TrainingResult resumeClassifier(Dataset<Row> train, Dataset<Row> valid, String dir,
                                                TrainingControl control) throws IOException {
    if (!HadoopDirectory.isUri(dir)) {
      return resumeClassifier(train, valid, Path.of(dir), control);
    }
    HadoopDirectory d = HadoopDirectory.forResume(dir, train.sparkSession().sparkContext().hadoopConfiguration());
    try {
      return resumeClassifier(train, valid, d.local(), control.withListener(d.mirroring(control.listener())));
    } finally {
      d.push();
    }
  }

  private static void requireValidation(Dataset<Row> valid, TrainingConfig config) {
    if (valid == null && config.validFraction() > 0) {
      throw new InvalidSettingException("{valid} data is required on Spark (or set {validFraction} to 0 to train "
          + "without validation)");
    }
  }

  private static Scoring.Scorer scorer(Broadcast<ModelBytes> b) {
    Scoring.Scorer s = Scoring.scorerFor(b.value());
    // the struct holds only the model's columns: drop the text that was passed in as column 0
    return (rows, column) -> s.score(rows, column).stream().map(r -> {
      Object[] v = new Object[r.length() - 1];
      for (int i = 1; i < r.length(); i++) {
        v[i - 1] = r.get(i);
      }
      return RowFactory.create(v);
    }).toList();
  }

  static Broadcast<ModelBytes> broadcast(SparkSession spark, ModelBytes model) {
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
  }

  static int textColumnIndex(StructType schema, String column) {
    List<String> names = Arrays.asList(schema.fieldNames());
    int i = names.indexOf(column);
    if (i < 0) {
      throw new InvalidSettingException("{textColumn} '" + column + "' is not a column of the input (columns: "
          + String.join(", ", names) + ")");
    }
    if (!schema.fields()[i].dataType().equals(DataTypes.StringType)) {
      throw new InvalidSettingException("{textColumn} '" + column + "' is " + schema.fields()[i].dataType()
          .simpleString() + ", not a string column");
    }
    return i;
  }
}
