package org.rnn4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * AG News' own CSV on Spark, read as `rnn4j train --format agnews` reads it: no header, fields
 * class, title, description; the text is title, a space, description; the label is the class's
 * name from classes.txt beside the file (or one directory up), else its number.
 */
final class AgNews {
  static final String LABEL = "label";
  static final String TEXT = "text";

  private AgNews() {}

  static Dataset<Row> read(SparkSession spark, String path) {
    Dataset<Row> raw = spark.read().option("header", "false").option("escape", "\"").csv(path);
    List<String> names = classNames(spark, path);
    Column number = functions.col("_c0").cast("int");
    Column label = number.cast("string");
    if (names != null) {
      label = functions.element_at(functions.array(names.stream().map(functions::lit).toArray(Column[]::new)), number);
    }
    return raw.select(label.as(LABEL), functions.concat_ws(" ", functions.col("_c1"), functions.col("_c2")).as(TEXT));
  }

  /** classes.txt beside the data or one directory up, through Hadoop's file system (local, hdfs://, s3a://); null when absent. */
  static List<String> classNames(SparkSession spark, String data) {
    try {
      Path p = new Path(data);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      Path dir = fs.getFileStatus(p).isDirectory() ? p : p.getParent();
      for (Path d : new Path[] {dir, dir.getParent()}) {
        if (d == null) {
          continue;
        }
        Path classes = new Path(d, "classes.txt");
        if (fs.exists(classes)) {
          List<String> names = new ArrayList<>();
          try (InputStream in = fs.open(classes)) {
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
              if (!l.isBlank()) {
                names.add(l.strip());
              }
            }
          }
          return names.isEmpty() ? null : names;
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(data + ": " + e.getMessage(), e);
    }
  }
}
