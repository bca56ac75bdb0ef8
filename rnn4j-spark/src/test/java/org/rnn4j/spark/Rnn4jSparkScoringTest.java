package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.classify.Classifier;
import org.rnn4j.classify.Prediction;
import org.rnn4j.io.FormatException;
import org.rnn4j.lm.LanguageModel;
import org.rnn4j.lm.LanguageModelEvaluation;
import org.rnn4j.testing.TestModels;
import org.rnn4j.text.LabeledText;
import scala.collection.JavaConverters;

class Rnn4jSparkScoringTest {
  /**
   * Spark scores in batches of its own partitions, `predict` in batches of the whole list; packed
   * sequences make each row's numbers independent of its batch, so they agree to the bit. The
   * tolerance is the 1e-6, which a broken batching would exceed by orders of magnitude.
   */
  private static final double TOLERANCE = 1e-6;

  @TempDir static Path dir;
  static Path news;
  static Path lm;
  static SparkSession spark;
  static final StructType SCHEMA = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType);

  @BeforeAll
  static void models() throws Exception {
    news = dir.resolve("news");
    lm = dir.resolve("lm");
    TestModels.classifier(news, 1);
    TestModels.languageModel(lm);
    spark = LocalSpark.get();
  }

  static Dataset<Row> frame(List<String> texts, int partitions) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      rows.add(RowFactory.create(i, texts.get(i)));
    }
    return spark.createDataFrame(rows, SCHEMA).repartition(partitions);
  }

  @Test
  void predict_classifier_equalsPredictOnEveryRow() throws Exception {
    List<String> texts = TestModels.topics(700, 7).stream().map(LabeledText::text).toList();
    List<Row> out = Rnn4jSpark.predict(frame(texts, 3), "text", news).collectAsList();
    assertEquals(texts.size(), out.size());
    Classifier c = Classifier.load(news);
    List<Prediction> expected = c.predict(texts);
    for (Row r : out) {
      int id = r.getInt(0);
      Prediction p = expected.get(id);
      assertEquals(texts.get(id), r.getString(1));
      assertEquals(p.label(), r.getString(r.fieldIndex("label")), "row " + id);
      assertEquals(p.probabilities()[p.index()], r.getDouble(r.fieldIndex("probability")), TOLERANCE);
      Map<String, Object> probs = JavaConverters.mapAsJavaMap(r.getMap(r.fieldIndex("probabilities")));
      assertEquals(c.classes().size(), probs.size());
      for (int k = 0; k < c.classes().size(); k++) {
        assertEquals(p.probabilities()[k], (Double) probs.get(c.classes().get(k)), TOLERANCE);
      }
    }
  }

  @Test
  void predict_nullEmptyAndTokenlessTexts_giveNullColumns() throws Exception {
    List<String> texts = Arrays.asList("the striker scored a goal", null, "", "   ", "market shares fell");
    List<Row> out = new ArrayList<>(Rnn4jSpark.predict(frame(texts, 2), "text", news).collectAsList());
    out.sort((a, b) -> Integer.compare(a.getInt(0), b.getInt(0)));
    Classifier c = Classifier.load(news);
    for (int i : new int[] {1, 2, 3}) {
      assertNull(out.get(i).get(2), "row " + i);
      assertNull(out.get(i).get(3), "row " + i);
      assertNull(out.get(i).get(4), "row " + i);
    }
    assertEquals(c.predict(texts.get(0)).label(), out.get(0).getString(2));
    assertEquals(c.predict(texts.get(4)).label(), out.get(4).getString(2));
  }

  @Test
  void predict_languageModel_givesLossAndBitsPerCharOfEachRow() throws Exception {
    List<String> texts = Arrays.asList("to be or not", "that is the question.", "x", null, "zzzz qqq");
    List<Row> out = new ArrayList<>(Rnn4jSpark.predict(frame(texts, 2), "text", lm).collectAsList());
    out.sort((a, b) -> Integer.compare(a.getInt(0), b.getInt(0)));
    LanguageModel model = LanguageModel.load(lm);
    for (int i : new int[] {0, 1, 4}) {
      LanguageModelEvaluation e = model.evaluate(texts.get(i));
      assertEquals(e.loss(), out.get(i).getDouble(out.get(i).fieldIndex("loss")), TOLERANCE, "row " + i);
      assertEquals(e.bitsPerChar(), out.get(i).getDouble(out.get(i).fieldIndex("bits_per_char")), TOLERANCE);
    }
    assertNull(out.get(2).get(2), "one character has nothing to predict");
    assertNull(out.get(3).get(2));
  }

  @Test
  void predict_corruptModel_failsOnTheDriverNamingTheFile() throws Exception {
    Path bad = dir.resolve("corrupt");
    Files.createDirectories(bad);
    for (String f : new String[] {"config.json", "vocab.txt", "model.safetensors"}) {
      Files.copy(news.resolve(f), bad.resolve(f));
    }
    byte[] w = Files.readAllBytes(bad.resolve("model.safetensors"));
    w[w.length - 3] ^= 0x55;
    Files.write(bad.resolve("model.safetensors"), w);
    FormatException e = assertThrows(FormatException.class,
        () -> Rnn4jSpark.predict(frame(List.of("goal"), 1), "text", bad));
    assertTrue(e.getMessage().contains(bad.resolve("model.safetensors").toString()), e.getMessage());
  }

  @Test
  void predict_missingModelDirectory_isNoSuchFile() {
    assertThrows(java.nio.file.NoSuchFileException.class,
        () -> Rnn4jSpark.predict(frame(List.of("goal"), 1), "text", dir.resolve("nowhere")));
  }

  @Test
  void predict_unknownTextColumn_namesTheColumns() {
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> Rnn4jSpark.predict(frame(List.of("goal"), 1), "body", news));
    assertEquals("textColumn 'body' is not a column of the input (columns: id, text)", e.getMessage());
  }

  @Test
  void predict_nonStringTextColumn_isRefused() {
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> Rnn4jSpark.predict(frame(List.of("goal"), 1), "id", news));
    assertEquals("textColumn 'id' is int, not a string column", e.getMessage());
  }

  @Test
  void predict_inputWithALabelColumn_isRefused() {
    Dataset<Row> df = frame(List.of("goal"), 1).withColumnRenamed("id", "label");
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> Rnn4jSpark.predict(df, "text", news));
    assertTrue(e.getMessage().contains("already has a column 'label'"), e.getMessage());
  }

  @Test
  void register_sqlFunction_equalsPredict() throws Exception {
    List<String> texts = TestModels.topics(50, 9).stream().map(LabeledText::text).toList();
    Rnn4jSpark.register(spark, "news", news);
    frame(texts, 2).createOrReplaceTempView("articles");
    List<Row> out = spark.sql("SELECT id, rnn4j_predict(text) AS p, rnn4j_predict_news(text).label AS l "
        + "FROM articles ORDER BY id").collectAsList();
    List<Prediction> expected = Classifier.load(news).predict(texts);
    for (Row r : out) {
      Prediction p = expected.get(r.getInt(0));
      Row s = r.getStruct(1);
      assertEquals(p.label(), s.getString(0));
      assertEquals(p.label(), r.getString(2));
      assertEquals(p.probabilities()[p.index()], s.getDouble(1), TOLERANCE);
    }
  }

  @Test
  void register_badName_isRefused() {
    assertThrows(InvalidSettingException.class, () -> Rnn4jSpark.register(spark, "my-model", news));
  }
}
