package org.rnn4j.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What partitions send back for one step: their examples' loss, counts, and gradient, already
 * weighted by their share of the global batch so that the parts simply add up. The gradient is
 * dense for every parameter but the embedding, whose rows come sparse: a step touches the rows of
 * its own tokens only, a few thousand of a vocabulary's tens of thousands.
 *
 * <p>Adding parts sums the same numbers a single process sums, in another order: the result equals
 * single-process training up to the rounding of float sums.
 */
final class GradientPart implements Serializable {
  private static final long serialVersionUID = 1L;

  double lossSum;
  long examples;
  long correct;
  long tokens;
  /** Bytes the parts carried to the driver, summed over the partitions before merging. */
  long bytes;
  /** Gradient of every parameter but the embedding, in parameter order (null: no examples). */
  float[] dense;
  /** Sorted embedding rows with gradient, and their gradients (rows.length × embed). */
  int[] rows = new int[0];
  float[] rowGrads = new float[0];

  static GradientPart empty() {
    return new GradientPart();
  }

  /** This part plus {@code o}; both stay usable (Spark may retry a merge). */
  GradientPart plus(GradientPart o) {
    GradientPart r = new GradientPart();
    r.lossSum = lossSum + o.lossSum;
    r.examples = examples + o.examples;
    r.correct = correct + o.correct;
    r.tokens = tokens + o.tokens;
    r.bytes = bytes + o.bytes;
    if (dense == null || o.dense == null) {
      r.dense = dense == null ? o.dense : dense;
    } else {
      r.dense = dense.clone();
      for (int i = 0; i < r.dense.length; i++) {
        r.dense[i] += o.dense[i];
      }
    }
    mergeRows(o, r);
    return r;
  }

  /** Merges two sorted row lists; a row in both gets the sum of its gradients. */
  private void mergeRows(GradientPart o, GradientPart r) {
    int width = rows.length > 0 ? rowGrads.length / rows.length : o.rows.length > 0 ? o.rowGrads.length / o.rows.length : 0;
    int[] out = new int[rows.length + o.rows.length];
    float[] g = new float[out.length * width];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < rows.length || j < o.rows.length) {
      int a = i < rows.length ? rows[i] : Integer.MAX_VALUE;
      int b = j < o.rows.length ? o.rows[j] : Integer.MAX_VALUE;
      int row = Math.min(a, b);
      out[n] = row;
      if (a == row) {
        System.arraycopy(rowGrads, i++ * width, g, n * width, width);
      }
      if (b == row) {
        int dst = n * width;
        int src = j++ * width;
        if (a == row) {
          for (int k = 0; k < width; k++) {
            g[dst + k] += o.rowGrads[src + k];
          }
        } else {
          System.arraycopy(o.rowGrads, src, g, dst, width);
        }
      }
      n++;
    }
    r.rows = Arrays.copyOf(out, n);
    r.rowGrads = Arrays.copyOf(g, n * width);
  }

  /** The payload's size in bytes, as it travels. */
  long payloadBytes() {
    return 4L * ((dense == null ? 0 : dense.length) + rows.length + rowGrads.length) + 32;
  }
}
