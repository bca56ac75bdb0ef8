package org.rnn4j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.rnn4j.classify.Classifier;
import org.rnn4j.classify.Prediction;
import org.rnn4j.lm.LanguageModel;
import org.rnn4j.lm.LanguageModelEvaluation;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Scores one partition: rows are read in batches of {@link #BATCH}, each batch's texts go through
 * the model in one forward pass, and every row comes out with the model's columns appended. A null
 * or empty text, or one without a single token, gets null columns: one odd row must not fail a job
 * over millions.
 */
final class Scoring implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  /** As many texts as `rnn4j predict` runs per forward pass. */
  static final int BATCH = 256;

  static final String LABEL = "label";
  static final String PROBABILITY = "probability";
  static final String PROBABILITIES = "probabilities";
  static final String LOSS = "loss";
  static final String BITS_PER_CHAR = "bits_per_char";

  private final Broadcast<ModelBytes> model;
  private final String task;
  private final int textColumn;
  private final LongAccumulator rowCount;
  private final LongAccumulator scoredCount;

  Scoring(Broadcast<ModelBytes> model, String task, int textColumn, LongAccumulator rowCount,
          LongAccumulator scoredCount) {
    this.model = model;
    this.task = task;
    this.textColumn = textColumn;
    this.rowCount = rowCount;
    this.scoredCount = scoredCount;
  }

  /** The columns a model of this task appends. */
  static StructType outputColumns(String task) {
    if (task.equals(LanguageModel.TASK)) {
      return new StructType(new StructField[] {
          DataTypes.createStructField(LOSS, DataTypes.DoubleType, true),
          DataTypes.createStructField(BITS_PER_CHAR, DataTypes.DoubleType, true)});
    }
    return new StructType(new StructField[] {
        DataTypes.createStructField(LABEL, DataTypes.StringType, true),
        DataTypes.createStructField(PROBABILITY, DataTypes.DoubleType, true),
        DataTypes.createStructField(PROBABILITIES,
            DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false), true)});
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    ExecutorModels.useOneThreadPerTask();
    Scorer scorer = scorerFor(model.value());
    return new Iterator<>() {
      private final List<Row> in = new ArrayList<>(BATCH);
      private List<Row> out = List.of();
      private int next;

      @Override
      public boolean hasNext() {
        if (next < out.size()) {
          return true;
        }
        in.clear();
        while (in.size() < BATCH && rows.hasNext()) {
          in.add(rows.next());
        }
        out = in.isEmpty() ? List.of() : scorer.score(in, textColumn);
        next = 0;
        count(out);
        return !out.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return out.get(next++);
      }
    };
  }

  private void count(List<Row> scored) {
    if (rowCount == null || scored.isEmpty()) {
      return;
    }
    int first = scored.get(0).length() - outputColumns(task).size();
    long n = 0;
    for (Row r : scored) {
      n += r.isNullAt(first) ? 0 : 1;
    }
    rowCount.add(scored.size());
    scoredCount.add(n);
  }

  /** The scorer of the model this executor loaded from the broadcast bytes. */
  static Scorer scorerFor(ModelBytes m) {
    return m.isLanguageModel()
        ? new LanguageModelScorer(ExecutorModels.languageModel(m)) : new ClassifierScorer(ExecutorModels.classifier(m));
  }

  /** Appends the model's columns to a batch of rows. */
  interface Scorer {
    List<Row> score(List<Row> rows, int textColumn);

    /** The row with {@code extra} appended. */
    static Row append(Row row, Object... extra) {
      Object[] v = new Object[row.length() + extra.length];
      for (int i = 0; i < row.length(); i++) {
        v[i] = row.get(i);
      }
      System.arraycopy(extra, 0, v, row.length(), extra.length);
      return RowFactory.create(v);
    }

    static String text(Row row, int column) {
      if (row.isNullAt(column)) {
        return null;
      }
      String t = row.getString(column);
      return t.isBlank() ? null : t;
    }
  }

  static final class ClassifierScorer implements Scorer {
    private final Classifier classifier;

    ClassifierScorer(Classifier classifier) {
      this.classifier = classifier;
    }

    @Override
    public List<Row> score(List<Row> rows, int textColumn) {
      List<String> texts = new ArrayList<>(rows.size());
      List<Integer> where = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        String t = Scorer.text(rows.get(i), textColumn);
        if (t != null) {
          texts.add(t);
          where.add(i);
        }
      }
      Prediction[] byRow = new Prediction[rows.size()];
      List<Prediction> predictions;
      try {
        predictions = classifier.predict(texts);
      } catch (IllegalArgumentException tokenless) {
        // A text without a single token (punctuation only, say): predict the others one by one.
        predictions = new ArrayList<>(texts.size());
        for (String t : texts) {
          predictions.add(predictOrNull(t));
        }
      }
      for (int j = 0; j < where.size(); j++) {
        byRow[where.get(j)] = predictions.get(j);
      }
      List<Row> out = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        out.add(columns(rows.get(i), byRow[i]));
      }
      return out;
    }

    private Prediction predictOrNull(String text) {
      try {
        return classifier.predict(text);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    Row columns(Row row, Prediction p) {
      return p == null ? Scorer.append(row, null, null, null)
          : Scorer.append(row, p.label(), (double) p.probabilities()[p.index()], probabilities(p));
    }

    /** A Scala map: the row encoder of a map column takes nothing else. */
    scala.collection.Map<String, Double> probabilities(Prediction p) {
      Map<String, Double> m = new LinkedHashMap<>();
      List<String> classes = classifier.classes();
      for (int k = 0; k < classes.size(); k++) {
        m.put(classes.get(k), (double) p.probabilities()[k]);
      }
      return CollectionConverters.asScala(m);
    }
  }

  static final class LanguageModelScorer implements Scorer {
    private final LanguageModel lm;

    LanguageModelScorer(LanguageModel lm) {
      this.lm = lm;
    }

    @Override
    public List<Row> score(List<Row> rows, int textColumn) {
      List<Row> out = new ArrayList<>(rows.size());
      for (Row r : rows) {
        String t = Scorer.text(r, textColumn);
        LanguageModelEvaluation e = null;
        if (t != null) {
          try {
            e = lm.evaluate(t);
          } catch (IllegalArgumentException tooShort) {
            // fewer than two tokens: nothing to predict
          }
        }
        out.add(e == null ? Scorer.append(r, null, null) : Scorer.append(r, e.loss(), e.bitsPerChar()));
      }
      return out;
    }
  }
}
