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
