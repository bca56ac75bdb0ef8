package org.rnn4j.nn;

import org.rnn4j.math.Activations;
import org.rnn4j.math.Ops;
import org.rnn4j.math.Parallel;

/**
 * Softmax cross-entropy over rows of logits, like {@code nn.CrossEntropyLoss} with the default
 * mean reduction: the loss is the mean over rows whose target is not {@link #IGNORE}, and the
 * gradient is divided by that count.
 */
public final class SoftmaxCrossEntropy {
  /** Target value of a row that contributes nothing (PyTorch's ignore_index). */
  public static final int IGNORE = -100;

  private SoftmaxCrossEntropy() {}

  /**
   * Computes the mean loss and writes dLogits (rows, classes); returns NaN when every row is
   * ignored. dLogits may be null for evaluation only.
   *
   * @throws IllegalArgumentException naming a row whose target is outside [0, classes)
   */
  public static double forwardBackward(float[] logits, int rows, int classes, int[] targets,
                                       float[] dLogits) {
    return forwardBackward(logits, rows, classes, targets, dLogits, 0f);
  }

  /**
   * {@link #forwardBackward} with PyTorch's {@code label_smoothing} ε: the target distribution is
   * (1 - ε) on the target plus ε/classes on every class, so a row's loss is (1 - ε)·(-log p_y) +
   * ε·mean_j(-log p_j) and its gradient p_j - (1 - ε)·[j = y] - ε/classes.
   *
   * @throws IllegalArgumentException when ε is outside [0, 1)
   */
  public static double forwardBackward(float[] logits, int rows, int classes, int[] targets,
                                       float[] dLogits, float labelSmoothing) {
    return forwardBackward(logits, rows, classes, targets, dLogits, labelSmoothing, false);
  }

  /**
   * {@link #forwardBackward(float[], int, int, int[], float[], float)}, with {@code vectorExp} one
   * float exponential per logit on the Vector API ({@link Activations#exp}) instead of two in double:
   * about five times faster over a large vocabulary (a translation model's), equal to the double path
   * to float rounding. Classifiers and language models keep the double path, whose bits their
   * format-1 checkpoints were written with.
   */
  public static double forwardBackward(float[] logits, int rows, int classes, int[] targets,
                                       float[] dLogits, float labelSmoothing, boolean vectorExp) {
    if (!(labelSmoothing >= 0f && labelSmoothing < 1f)) {
      throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + labelSmoothing);
    }
    int counted = 0;
    for (int r = 0; r < rows; r++) {
      int y = targets[r];
      if (y == IGNORE) {
        continue;
      }
      if (y < 0 || y >= classes) {
        throw new IllegalArgumentException("target " + y + " of row " + r + " is outside [0, "
            + classes + ")");
      }
      counted++;
    }
    float inv = counted == 0 ? 0f : 1f / counted;
    double[] rowLoss = new double[rows];
    float[] scratch = dLogits != null || !vectorExp ? dLogits : new float[rows * classes];
    // Rows are independent: threads split them, and the sum below adds them in row order.
    Parallel.forRange(rows, Math.max(1, (1 << 15) / classes), 1, (lo, hi) -> {
      for (int r = lo; r < hi; r++) {
        rowLoss[r] = vectorExp
            ? vectorRow(logits, r * classes, classes, targets[r], scratch, labelSmoothing, inv, dLogits != null)
            : row(logits, r * classes, classes, targets[r], dLogits, labelSmoothing, inv);
      }
    });
    double total = 0;
    for (int r = 0; r < rows; r++) {
      total += rowLoss[r];
    }
    return counted == 0 ? Double.NaN : total / counted;
  }

  /** One row in double: its loss, and its gradient into d when d is not null. */
  private static double row(float[] logits, int o, int classes, int y, float[] d, float labelSmoothing, float inv) {
    if (y == IGNORE) {
      if (d != null) {
        java.util.Arrays.fill(d, o, o + classes, 0f);
      }
      return 0;
    }
    double logZ = logSumExp(logits, o, classes);
    double nll = logZ - logits[o + y];
    double loss = nll;
    if (labelSmoothing != 0f) {
      double sumLogits = 0;
      for (int j = 0; j < classes; j++) {
        sumLogits += logits[o + j];
      }
      loss = (1 - labelSmoothing) * nll + labelSmoothing * (logZ - sumLogits / classes);
    }
    if (d != null) {
      float on = 1f - labelSmoothing;
      float spread = labelSmoothing / classes;
      for (int j = 0; j < classes; j++) {
        float p = (float) Math.exp(logits[o + j] - logZ);
        d[o + j] = (p - (j == y ? on : 0f) - spread) * inv;
      }
    }
    return loss;
  }

  /**
   * One row with float exponentials: its loss, and its gradient written into d (which holds the
   * exponentials meanwhile).
   */
  private static double vectorRow(float[] logits, int o, int classes, int y, float[] d, float labelSmoothing, float inv,
                            boolean gradient) {
    if (y == IGNORE) {
      if (gradient) {
        java.util.Arrays.fill(d, o, o + classes, 0f);
      }
      return 0;
    }
    float max = Ops.max(logits, o, classes);
    for (int j = 0; j < classes; j++) {
      d[o + j] = logits[o + j] - max;
    }
    Activations.exp(d, o, d, o, classes);
    double sum = Ops.sum(d, o, classes);
    double logZ = max + Math.log(sum);
    double nll = logZ - logits[o + y];
    double loss = nll;
    if (labelSmoothing != 0f) {
      loss = (1 - labelSmoothing) * nll + labelSmoothing * (logZ - Ops.sum(logits, o, classes) / classes);
    }
    if (gradient) {
      float scale = (float) (1 / sum);
      float on = 1f - labelSmoothing;
      float spread = labelSmoothing / classes;
      for (int j = 0; j < classes; j++) {
        d[o + j] = (d[o + j] * scale - spread) * inv;
      }
      d[o + y] -= on * inv;
    }
    return loss;
  }

  /** log Σ exp(x) of x[off..off+n): the max plus the log of the shifted exponentials' sum, in double. */
  public static double logSumExp(float[] x, int off, int n) {
    float max = Ops.max(x, off, n);
    double sum = 0;
    for (int j = 0; j < n; j++) {
      sum += Math.exp(x[off + j] - max);
    }
    return max + Math.log(sum);
  }

  /**
   * log Σ exp(x) of x[off..off+n) with one float exponential per value on the Vector API, as the
   * translation model's loss ({@code vectorExp}) takes it: the max plus the log of the shifted
   * exponentials' sum, in one read of the row after the max.
   */
  public static double logSumExpFloat(float[] x, int off, int n) {
    float max = Ops.max(x, off, n);
    return max + Math.log(Activations.expSum(x, off, n, max));
  }

  /** Softmax of one row of logits into probs (classes). */
  public static void softmax(float[] logits, int off, int classes, float[] probs, int pOff) {
    float max = Ops.max(logits, off, classes);
    double sum = 0;
    for (int j = 0; j < classes; j++) {
      sum += Math.exp(logits[off + j] - max);
    }
    for (int j = 0; j < classes; j++) {
      probs[pOff + j] = (float) (Math.exp(logits[off + j] - max) / sum);
    }
  }
}
