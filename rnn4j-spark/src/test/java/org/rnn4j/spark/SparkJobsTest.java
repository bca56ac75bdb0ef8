package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.classify.Classifier;
import org.rnn4j.testing.TestModels;
import org.rnn4j.text.LabeledText;

/** The scoring job behind `rnn4j spark score`: each format in and out through Spark's own readers and writers. */
class SparkJobsTest {
  @TempDir static Path dir;
  static Path news;
  static Path csv;
  static SparkSession spark;
  static List<String> texts;

  @BeforeAll
  static void modelAndInput() throws Exception {
    news = dir.resolve("news");
    TestModels.classifier(news, 3);
    spark = LocalSpark.get();
    texts = TestModels.topics(300, 11).stream().map(LabeledText::text).toList();
    StringBuilder b = new StringBuilder("id,text\n");
    for (int i = 0; i < texts.size(); i++) {
      // a quote inside a quoted field is doubled (RFC 4180), as spreadsheets and Python's csv write it
      b.append(i).append(",\"").append(texts.get(i)).append(i % 7 == 0 ? " \"\"quoted\"\"" : "").append("\"\n");
    }
    csv = dir.resolve("texts.csv");
    Files.writeString(csv, b.toString());
  }

  @Test
  void score_eachFormatRoundTrips_withTheSameLabels() throws Exception {
    Classifier c = Classifier.load(news);
    String parquet = dir.resolve("as-parquet").toString();
    SparkJobs.read(spark, csv.toString(), "csv").write().parquet(parquet);
    for (String format : new String[] {"json", "csv", "parquet"}) {
      String out = dir.resolve("from-parquet-to-" + format).toString();
      SparkJobs.ScoreSummary s = SparkJobs.score("local[2]", news, parquet, "parquet", "text", out, format, false);
      assertEquals(texts.size(), s.rows());
      assertEquals(texts.size(), s.scored());
      List<Row> rows = SparkJobs.read(spark, out, format).select("id", "text", "label").collectAsList();
      assertEquals(texts.size(), rows.size(), format);
      for (Row r : rows) {
        int id = Integer.parseInt(String.valueOf(r.get(0)));
        String text = r.getString(1);
        assertTrue(text.startsWith(texts.get(id)), format + ": " + text);
        assertEquals(c.predict(text).label(), r.getString(2), format + " row " + id);
      }
    }
  }

  @Test
  void train_tsvAndJsonl_readAsRnn4jTrainReadsThem() throws Exception {
    StringBuilder tsv = new StringBuilder("label\ttext\n");
    StringBuilder jsonl = new StringBuilder();
    for (LabeledText e : TestModels.topics(80, 21)) {
      tsv.append(e.label()).append('\t').append(e.text()).append('\n');
      jsonl.append("{\"label\": \"").append(e.label()).append("\", \"text\": \"").append(e.text()).append("\"}\n");
    }
    Files.writeString(dir.resolve("train.tsv"), tsv.toString());
    Files.writeString(dir.resolve("train.jsonl"), jsonl.toString());
    org.rnn4j.classify.TrainingConfig cfg = org.rnn4j.classify.TrainingConfig.builder().embed(8).hidden(8).batch(16)
        .validFraction(0).build();
    for (String format : new String[] {"tsv", "jsonl"}) {
      Path out = dir.resolve("trained-" + format);
      SparkJobs.train("local[2]", dir.resolve("train." + format).toString(), null, format, 0, 1, cfg, out.toString(),
          org.rnn4j.train.TrainingControl.silent());
      assertEquals(List.of("markets", "sports"), Classifier.load(out).classes(), format);
    }
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> SparkJobs.train("local[2]",
        csv.toString(), null, "xlsx", 0, 1, cfg, dir.resolve("never").toString(), org.rnn4j.train.TrainingControl.silent()));
    assertEquals("format must be csv, tsv, parquet, json (or jsonl) or agnews, got 'xlsx'", e.getMessage());
  }

  @Test
  void score_existingOutput_isRefused() throws Exception {
    Path out = dir.resolve("exists");
    Files.createDirectories(out);
    Exception e = assertThrows(Exception.class,
        () -> SparkJobs.score("local[2]", news, csv.toString(), "csv", "text", out.toString(), "json", false));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
  }

  @Test
  void score_unknownFormat_isRefusedBeforeSparkStarts() {
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> SparkJobs.score("local[2]", news, csv.toString(), "xlsx", "text", "x", "json", false));
    assertEquals("inputFormat must be csv, parquet or json (or text, one per line), got 'xlsx'", e.getMessage());
  }
}
