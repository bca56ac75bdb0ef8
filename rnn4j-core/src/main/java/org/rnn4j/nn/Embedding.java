package org.rnn4j.nn;

import java.util.Arrays;
import org.rnn4j.math.Ops;
import org.rnn4j.math.Parallel;
import org.rnn4j.random.TorchGenerator;

/**
 * Token embedding: weight (vocabulary, dim), PyTorch name {@code <name>.weight}. Forward and
 * backward work on rows of ids ({@link #packedIds}). An optional padding index keeps its row out of
 * every gradient.
 */
public final class Embedding {
  private final Parameter weight;
  private final int vocabulary;
  private final int dim;
  private final int paddingIndex;

  /** paddingIndex = -1 for none. */
  public Embedding(ParameterSet params, String name, int vocabulary, int dim, int paddingIndex) {
    if (vocabulary < 1) {
      throw new IllegalArgumentException("vocabulary size must be >= 1, got " + vocabulary);
    }
    if (dim < 1) {
      throw new IllegalArgumentException("embedding dim must be >= 1, got " + dim);
    }
    if (paddingIndex < -1 || paddingIndex >= vocabulary) {
      throw new IllegalArgumentException("paddingIndex must be -1 or in 0.." + (vocabulary - 1)
          + ", got " + paddingIndex);
    }
    this.vocabulary = vocabulary;
    this.dim = dim;
    this.paddingIndex = paddingIndex;
    this.weight = params.add(name + ".weight", vocabulary, dim);
  }

  public Parameter weight() {
    return weight;
  }

  public int vocabulary() {
    return vocabulary;
  }

  public int dim() {
    return dim;
  }

  public int paddingIndex() {
    return paddingIndex;
  }

  /**
   * The token id of every packed row (N) of a padded (B, T) batch, for {@link #forward} and
   * {@link #backward}: the rows in packed order, or a batch's distinct ids (see {@link TokenGroups}).
   *
   * @throws IllegalArgumentException naming the position of a token id outside [0, vocabulary)
   */
  public void packedIds(int[] tokens, SequenceLayout layout, int[] ids) {
    int t0 = checkTokens(tokens, layout);
    for (int t = 0, steps = layout.steps(); t < steps; t++) {
      int off = layout.stepOffset(t);
      for (int r = 0, n = layout.batchSize(t); r < n; r++) {
        ids[off + r] = id(tokens, layout.order(r), t, t0);
      }
    }
  }

  private static int checkTokens(int[] tokens, SequenceLayout layout) {
    int t0 = layout.paddedLength();
    if (tokens.length < layout.batch() * t0) {
      throw new IllegalArgumentException("tokens must have B×T = " + layout.batch() + "×" + t0
          + " ids, got " + tokens.length);
    }
    return t0;
  }

  private int id(int[] tokens, int b, int t, int t0) {
    int id = tokens[b * t0 + t];
    if (id < 0 || id >= vocabulary) {
      throw new IllegalArgumentException("token id " + id + " at batch " + b + ", step " + t
          + " is outside the vocabulary [0, " + vocabulary + ")");
    }
    return id;
  }

  /** Gathers the rows of ids[0..count) (checked by {@link #packedIds}) into out (count, dim). */
  public void forward(int[] ids, int count, float[] out) {
    float[] w = weight.data();
    int base = weight.offset();
    Parallel.forRange(count, rowsPerPart(), 1, (lo, hi) -> {
      for (int s = lo; s < hi; s++) {
        System.arraycopy(w, base + ids[s] * dim, out, s * dim, dim);
      }
    });
  }

  /**
   * Adds dRows (count, dim) into the gradient rows of ids[0..count), in that order, skipping the
   * padding index; collects the rows it wrote when touched is not null.
   */
  public void backward(int[] ids, int count, float[] dRows, RowSet touched) {
    markTouched(ids, count, touched);
    addRows(ids, 0, count, dRows);
  }

  /**
   * {@link #backward} for ids that are all different: each gradient row then gets one add, so
   * threads can split the rows without changing a bit.
   */
  public void backwardDistinct(int[] ids, int count, float[] dRows, RowSet touched) {
    markTouched(ids, count, touched);
    Parallel.forRange(count, rowsPerPart(), 1, (lo, hi) -> addRows(ids, lo, hi, dRows));
  }

  private void markTouched(int[] ids, int count, RowSet touched) {
    if (touched == null) {
      return;
    }
    for (int s = 0; s < count; s++) {
      if (ids[s] != paddingIndex) {
        touched.add(ids[s]);
      }
    }
  }

  private void addRows(int[] ids, int lo, int hi, float[] dRows) {
    float[] g = weight.grad();
    int base = weight.offset();
    for (int s = lo; s < hi; s++) {
      int id = ids[s];
      if (id != paddingIndex) {
        Ops.add(dRows, s * dim, g, base + id * dim, dim);
      }
    }
  }

  /** Rows below which a gather or scatter stays on one thread: ~64K floats, a few microseconds. */
  private int rowsPerPart() {
    return Math.max(1, (1 << 16) / dim);
  }

  /** PyTorch's default: N(0, 1), with the padding row zeroed. */
  public void initialize(TorchGenerator g) {
    float[] w = weight.data();
    g.normal(w, weight.offset(), weight.size(), 0, 1);
    if (paddingIndex >= 0) {
      Arrays.fill(w, weight.offset() + paddingIndex * dim, weight.offset() + (paddingIndex + 1) * dim, 0f);
    }
    weight.owner().touch();
  }
}
