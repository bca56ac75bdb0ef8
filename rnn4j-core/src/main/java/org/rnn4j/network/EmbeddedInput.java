package org.rnn4j.network;

import java.util.Arrays;
import org.rnn4j.math.Ops;
import org.rnn4j.nn.Embedding;
import org.rnn4j.nn.RecurrentStack;
import org.rnn4j.nn.RowSet;
import org.rnn4j.nn.SequenceLayout;
import org.rnn4j.nn.TokenGroups;
import org.rnn4j.random.Rng;

/**
 * An embedding feeding a recurrent stack, with the buffers of one workspace. When a batch repeats
 * enough of its tokens, the stack gets each distinct embedding row once
 * ({@link RecurrentStack#forwardGrouped}); else the N looked-up rows, as PyTorch does.
 */
final class EmbeddedInput {
  /** Fewest multiply-adds per input-side product that grouping must save (about 0.15 ms on 2 threads). */
  static final long MIN_SAVED_MACS = 16L << 20;

  /**
   * Group when it spares at least a tenth of the first layer's input-side rows and
   * {@link #MIN_SAVED_MACS} per product: summing each group's gate gradients costs a pass over them,
   * which a smaller saving does not repay. The lesson's AG News batches of 16 texts fall below it,
   * so they keep PyTorch's order of sums (the savings measured per workload: BENCHMARKS.md, "What
   * made the difference": the first layer over distinct tokens).
   */
  static boolean worthGrouping(int distinct, int rows, int inputSize, int gateWidth) {
    return (long) distinct * 10 <= (long) rows * 9
        && (long) (rows - distinct) * inputSize * gateWidth >= MIN_SAVED_MACS;
  }

  /** When to group: by {@link #worthGrouping}, or always or never (tests take both paths). */
  enum Grouping { AUTO, ALWAYS, NEVER }

  private Grouping grouping = Grouping.AUTO;
  private final TokenGroups groups = new TokenGroups();
  private int[] ids = new int[0];
  private float[] rows = new float[0];
  private float[] dRows = new float[0];
  private boolean grouped;
  private int rowsIn;

  void grouping(Grouping g) {
    grouping = g;
  }

  /** Whether the last forward grouped its rows. */
  boolean grouped() {
    return grouped;
  }

  /** Looks up tokens (B, T) with the layout's lengths and runs the stack over them. */
  void forward(Embedding embedding, RecurrentStack rnn, RecurrentStack.Cache cache, int[] tokens,
               SequenceLayout layout, float[] h0, float[] c0, boolean training, Rng rng) {
    int n = layout.tokens();
    int dim = embedding.dim();
    ids = ids.length >= n ? ids : new int[n];
    embedding.packedIds(tokens, layout, ids);
    groups.group(ids, n, embedding.vocabulary());
    grouped = grouping == Grouping.ALWAYS
        || grouping == Grouping.AUTO
        && worthGrouping(groups.count(), n, dim, rnn.cell().gates() * rnn.hiddenSize());
    if (grouped) {
      rowsIn = groups.paddedCount();
      rows = Ops.ensure(rows, rowsIn * dim);
      embedding.forward(groups.ids(), groups.count(), rows);
      Arrays.fill(rows, groups.count() * dim, rowsIn * dim, 0f);
      rnn.forwardGrouped(cache, layout, groups, rows, h0, c0, training, rng);
    } else {
      rowsIn = n;
      rows = Ops.ensure(rows, n * dim);
      embedding.forward(ids, n, rows);
      rnn.forward(cache, layout, rows, h0, c0, training, rng);
    }
  }

  /** Backpropagates the stack and adds the embedding's gradient, collecting the rows it wrote. */
  void backward(Embedding embedding, RecurrentStack rnn, RecurrentStack.Cache cache, float[] dOut,
                float[] dhN, RowSet touched) {
    backward(embedding, rnn, cache, dOut, dhN, null, touched);
  }

  /** {@link #backward} with a gradient into the final LSTM cell states too (dcN may be null). */
  void backward(Embedding embedding, RecurrentStack rnn, RecurrentStack.Cache cache, float[] dOut,
                float[] dhN, float[] dcN, RowSet touched) {
    touched.clear();
    dRows = Ops.ensure(dRows, rowsIn * embedding.dim());
    rnn.backward(cache, dOut, dhN, dcN, dRows, null, null);
    if (grouped) {
      embedding.backwardDistinct(groups.ids(), groups.count(), dRows, touched);
    } else {
      embedding.backward(ids, rowsIn, dRows, touched); // packed order, as the rows came
    }
  }
}
