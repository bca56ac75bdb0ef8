package org.rnn4j.classify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Classification metrics: accuracy, per-class precision, recall and F1 (zero where undefined, as
 * scikit-learn reports them), macro-F1 over all classes, mean loss, and the confusion matrix
 * (rows = true class, columns = predicted class).
 */
public final class Evaluation {
  private final List<String> classes;
  private final long[][] confusion;
  private final double loss;
  private final long n;

  /** The class row {@code row} of logits (rows × classes) predicts: the first of equal maxima, as torch.argmax. */
  public static int predictedClass(float[] logits, int row, int classes) {
    int off = row * classes;
    int best = 0;
    for (int j = 1; j < classes; j++) {
      if (logits[off + j] > logits[off + best]) {
        best = j;
      }
    }
    return best;
  }

  /** How many of the first {@code rows} rows of logits predict their label. */
  public static int correctPredictions(float[] logits, int[] labels, int rows, int classes) {
    int correct = 0;
    for (int i = 0; i < rows; i++) {
      if (predictedClass(logits, i, classes) == labels[i]) {
        correct++;
      }
    }
    return correct;
  }

  /**
   * An evaluation from its confusion matrix ({@code confusion[true][predicted]}) and mean loss, for
   * evaluations counted elsewhere (on Spark's executors).
   */
  public static Evaluation of(List<String> classes, long[][] confusion, double meanLoss) {
    return new Evaluation(classes, confusion, meanLoss);
  }

  Evaluation(List<String> classes, long[][] confusion, double loss) {
    this.classes = List.copyOf(classes);
    this.confusion = confusion;
    this.loss = loss;
    long total = 0;
    for (long[] row : confusion) {
      for (long v : row) {
        total += v;
      }
    }
    this.n = total;
  }

  public List<String> classes() {
    return classes;
  }

  public long n() {
    return n;
  }

  /** Mean cross-entropy (nats). */
  public double loss() {
    return loss;
  }

  public long[][] confusion() {
    long[][] c = new long[confusion.length][];
    for (int i = 0; i < c.length; i++) {
      c[i] = confusion[i].clone();
    }
    return c;
  }

  public double accuracy() {
    long ok = 0;
    for (int i = 0; i < confusion.length; i++) {
      ok += confusion[i][i];
    }
    return n == 0 ? Double.NaN : (double) ok / n;
  }

  public double precision(int c) {
    long col = 0;
    for (long[] row : confusion) {
      col += row[c];
    }
    return col == 0 ? 0 : (double) confusion[c][c] / col;
  }

  public double recall(int c) {
    long row = 0;
    for (long v : confusion[c]) {
      row += v;
    }
    return row == 0 ? 0 : (double) confusion[c][c] / row;
  }

  public long support(int c) {
    long row = 0;
    for (long v : confusion[c]) {
      row += v;
    }
    return row;
  }

  public double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  public double macroF1() {
    double s = 0;
    for (int c = 0; c < classes.size(); c++) {
      s += f1(c);
    }
    return s / classes.size();
  }

  /** The --json form: accuracy, macro_f1, n, loss, per_class, confusion_matrix, classes. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accuracy", accuracy());
    m.put("macro_f1", macroF1());
    m.put("n", n);
    m.put("loss", loss);
    List<Object> per = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("class", classes.get(c));
      e.put("precision", precision(c));
      e.put("recall", recall(c));
      e.put("f1", f1(c));
      e.put("support", support(c));
      per.add(e);
    }
    m.put("per_class", per);
    List<Object> rows = new ArrayList<>();
    for (long[] row : confusion) {
      rows.add(row.clone());
    }
    m.put("confusion_matrix", rows);
    m.put("classes", classes);
    return m;
  }

  /** A human-readable report. */
  public String report() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "accuracy %.4f   macro-F1 %.4f   loss %.4f   n %d%n%n",
        accuracy(), macroF1(), loss, n));
    int w = 9;
    for (String c : classes) {
      w = Math.max(w, c.length());
    }
    b.append(String.format(Locale.ROOT, "%-" + w + "s  %9s  %9s  %9s  %8s%n", "class", "precision", "recall", "f1", "support"));
    for (int c = 0; c < classes.size(); c++) {
      b.append(String.format(Locale.ROOT, "%-" + w + "s  %9.4f  %9.4f  %9.4f  %8d%n", classes.get(c),
          precision(c), recall(c), f1(c), support(c)));
    }
    b.append(String.format(Locale.ROOT, "%nconfusion matrix (rows: true, columns: predicted)%n"));
    b.append(String.format(Locale.ROOT, "%-" + w + "s", ""));
    int cw = 7;
    for (String c : classes) {
      cw = Math.max(cw, Math.min(c.length(), 12));
    }
    for (String c : classes) {
      b.append(String.format(Locale.ROOT, "  %" + cw + "s", c.length() > 12 ? c.substring(0, 12) : c));
    }
    b.append('\n');
    for (int r = 0; r < classes.size(); r++) {
      b.append(String.format(Locale.ROOT, "%-" + w + "s", classes.get(r)));
      for (int c = 0; c < classes.size(); c++) {
        b.append(String.format(Locale.ROOT, "  %" + cw + "d", confusion[r][c]));
      }
      b.append('\n');
    }
    return b.toString();
  }
}
