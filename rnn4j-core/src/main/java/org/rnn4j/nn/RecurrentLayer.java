package org.rnn4j.nn;

import java.util.Arrays;
import org.rnn4j.math.Blas;
import org.rnn4j.math.KernelTuning;
import org.rnn4j.math.Ops;
import org.rnn4j.math.PackedMatrix;
import org.rnn4j.math.Parallel;
import org.rnn4j.math.SplitChooser;
import org.rnn4j.math.Vectorization;

/**
 * One recurrent layer in one direction over a packed batch (see {@link SequenceLayout}).
 *
 * <p>Forward: the input projection x·W_ihᵀ for all N packed rows is one GEMM, then the time loop
 * adds the input biases and h_{t-1}·W_hhᵀ for the rows still running and applies the fused gate
 * math. Threads split the batch by rank and each runs the whole time loop for its rows, so the loop
 * needs no barrier per step; a small layer's loop is split or not as timing shows faster
 * ({@link SplitChooser}). A layer whose W_hh outgrows the caches splits each step by hidden units
 * instead, so that each thread streams only its share of W_hh ({@link #recurByUnits}); a bidirectional
 * layer runs its two directions side by side ({@link #runPair}). Backward runs the loop in reverse,
 * writing gate gradients over the cached activations, then forms all weight gradients with one GEMM
 * each over the N rows.
 *
 * <p>Buffers, with H = hidden, G = gates, I = input, N = tokens, B = batch (rank order):
 * <pre>
 *   x      (N, I)   input rows, leading dimension ldx (not owned)
 *   out    (N, H)   output rows h_t, leading dimension ldo (not owned)
 *   gates  (N, G·H) pre-activations → activations → gate gradients
 *   h0, c0 (B, H)   initial states
 * </pre>
 * Weights keep PyTorch's layout: W_ih (G·H, I), W_hh (G·H, H).
 *
 * <p>The file is long because it is the one time loop that every cell shares (forward, backward,
 * the thread split, the grouped and table input paths); a cell adds only its gate math
 * ({@link RnnLayer}, {@link LstmLayer}, {@link GruLayer}).
 */
abstract class RecurrentLayer {
  /** Fewest rows per thread worth splitting the time loop for. */
  private static final int MIN_ROWS_PER_PART = 4;
  /**
   * Below this many multiply-adds in a time loop's recurrent products (N·G·H·H: a fraction of a
   * millisecond on one thread), whether to split the loop is timed rather than assumed (see
   * {@link SplitChooser}): small models such as the lesson's AG News one fall below it.
   */
  static final long TIMED_SPLIT_MACS = 16L << 20;

  final CellType cell;
  final int inputSize;
  final int hidden;
  final int gateWidth;
  final Parameter wIh;
  final Parameter wHh;
  final Parameter bIh;
  final Parameter bHh;
  final CellMath math = CellMath.INSTANCE;

  RecurrentLayer(CellType cell, ParameterSet params, String prefix, String suffix, int inputSize, int hidden) {
    this.cell = cell;
    this.inputSize = inputSize;
    this.hidden = hidden;
    this.gateWidth = cell.gates() * hidden;
    this.wIh = params.add(prefix + "weight_ih" + suffix, gateWidth, inputSize);
    this.wHh = params.add(prefix + "weight_hh" + suffix, gateWidth, hidden);
    this.bIh = params.add(prefix + "bias_ih" + suffix, gateWidth);
    this.bHh = params.add(prefix + "bias_hh" + suffix, gateWidth);
  }

  static RecurrentLayer create(CellType cell, ParameterSet params, String prefix, String suffix,
                               int inputSize, int hidden) {
    switch (cell) {
      case LSTM:
        return new LstmLayer(params, prefix, suffix, inputSize, hidden);
      case GRU:
        return new GruLayer(params, prefix, suffix, inputSize, hidden);
      case RNN_TANH:
      case RNN_RELU:
        return new RnnLayer(cell, params, prefix, suffix, inputSize, hidden);
      default:
        throw new AssertionError(cell);
    }
  }

  /** Per-call state: what forward caches for backward, plus reusable scratch. */
  static final class Cache {
    SequenceLayout layout;
    int[] split;
    float[] x;
    int xOff;
    int ldx;
    float[] out;
    int outOff;
    int ldo;
    float[] gates = new float[0];
    float[] cells = new float[0];
    float[] tanhCells = new float[0];
    float[] hn = new float[0];
    float[] h0 = new float[0];
    float[] c0 = new float[0];
    float[] step = new float[0];
    float[] dh = new float[0];
    float[] dc = new float[0];
    float[] hPrev = new float[0];
    float[] dnx = new float[0];
    float[] bias = new float[0];
    /**
     * Set during {@link #forwardProjected} and {@link #forwardGrouped}: the gates' rows come from
     * table[ids[row]]. A look-up table holds the biases already, and since there is no backward,
     * one step's rows are all the gate buffer holds (see {@link #gateRow}); a grouped one gets
     * {@link #bias} added as each row is copied. Otherwise the time loop adds {@link #bias} to each
     * step's rows of the projection {@link #forward} computed.
     */
    float[] table;
    int[] ids;
    /**
     * Set during {@link #forwardGrouped} and its backward: the input rows are the U distinct
     * ones, and {@link #distinct} (U, G·H), which the directions of a layer may share, holds their
     * projection in forward and their summed gate gradients in backward.
     */
    TokenGroups groups;
    float[] distinct = new float[0];
    float[] partialSums = new float[0];
    /**
     * h0 is zeros (none given): step 0's recurrent product and its share of dW_hh add nothing, and
     * are skipped (1/T of the recurrent work).
     */
    boolean zeroH0;
    /** Backward is to report dh0: only then does step 0 need dh ← (gate gradients)·W_hh. */
    boolean wantDh0;
    /**
     * Set by the caller for a forward that no backward follows: only then is the split timed, since
     * a training step's other regions pay for workers that a whole loop let fall asleep (BENCHMARKS.md,
     * "Figures behind the code's choices").
     */
    boolean inference;
    final SplitChooser splitChooser = new SplitChooser();
    /** When forward split its steps by hidden units: the parts' bounds (units[p], units[p+1]); else null. */
    int[] units;
    /**
     * W_hh packed whole, as the one matrix of {@link #forwardStep}'s w for all units (set once per run,
     * so that no step allocates).
     */
    final PackedMatrix[] wholeHh = new PackedMatrix[1];
  }

  /**
   * Runs the layer. h0 and c0 are (B, H) in rank order, or null for zeros.
   */
  final void forward(Cache k, SequenceLayout layout, float[] x, int xOff, int ldx,
                     float[] h0, float[] c0, float[] out, int outOff, int ldo) {
    prepare(k, layout, x, xOff, ldx, h0, c0, out, outOff, ldo);
    run(k);
  }

  /** {@link #forward} up to its time loop, which {@link #run} or {@link #runPair} then runs. */
  final void prepare(Cache k, SequenceLayout layout, float[] x, int xOff, int ldx,
                     float[] h0, float[] c0, float[] out, int outOff, int ldo) {
    int n = layout.tokens();
    begin(k, layout, n, x, xOff, ldx, h0, c0, out, outOff, ldo);
    // (N, I) · (I, G·H) for every time step at once.
    Blas.gemm(n, x, xOff, ldx, wIh.packedTransposed(), 0f, k.gates, 0, gateWidth);
    inputBiases(k);
  }

  /**
   * Runs the layer for inference with the input projection looked up instead of computed: row q
   * of the gates is row ids[q] of {@code table} (V, G·H), made by {@link #projectionTable}. The
   * results are bit-identical to {@link #forward}'s on the embedding rows; there is no backward.
   */
  final void forwardProjected(Cache k, SequenceLayout layout, float[] table, int[] ids,
                              float[] h0, float[] c0, float[] out, int outOff, int ldo) {
    prepareProjected(k, layout, table, ids, h0, c0, out, outOff, ldo);
    run(k);
  }

  /** {@link #forwardProjected} up to its time loop, which {@link #run} or {@link #runPair} then runs. */
  final void prepareProjected(Cache k, SequenceLayout layout, float[] table, int[] ids,
                              float[] h0, float[] c0, float[] out, int outOff, int ldo) {
    begin(k, layout, layout.batch(), null, 0, 0, h0, c0, out, outOff, ldo);
    k.table = table;
    k.ids = ids;
  }

  /**
   * Runs the layer on the U distinct rows xu (U, I) of its input: packed row q is row
   * {@code groups.slots()[q]} of xu. The projection costs U rows instead of N and gives each row
   * the bits {@link #forward} would; backward then sums the gate gradients of each group before
   * the input-side products, and writes dx as (U, I). {@code distinct} is scratch of at least
   * U·G·H floats that must stay untouched until this layer's backward has begun.
   */
  final void forwardGrouped(Cache k, SequenceLayout layout, float[] xu, TokenGroups groups, float[] distinct,
                            float[] h0, float[] c0, float[] out, int outOff, int ldo) {
    prepareGrouped(k, layout, xu, groups, distinct, h0, c0, out, outOff, ldo);
    run(k);
  }

  /** {@link #forwardGrouped} up to its time loop, which {@link #run} or {@link #runPair} then runs. */
  final void prepareGrouped(Cache k, SequenceLayout layout, float[] xu, TokenGroups groups, float[] distinct,
                            float[] h0, float[] c0, float[] out, int outOff, int ldo) {
    int u = groups.paddedCount();
    begin(k, layout, layout.tokens(), xu, 0, inputSize, h0, c0, out, outOff, ldo);
    k.groups = groups;
    k.distinct = distinct;
    Blas.gemm(u, xu, 0, inputSize, wIh.packedTransposed(), 0f, distinct, 0, gateWidth);
    inputBiases(k); // added as the loop copies each row, the order forward uses
    k.table = distinct;
    k.ids = groups.slots();
  }

  /** The time loop of a prepared forward; then the look-up's references are dropped. */
  final void run(Cache k) {
    try {
      recur(k);
    } finally {
      release(k);
    }
  }

  /**
   * The time loops of a bidirectional layer's two prepared directions side by side, each on half the
   * pool over all its rows, instead of one after the other split by rows. A thread then streams one
   * direction's W_hh per step for all the rows rather than each direction's for half of them, and a
   * batch too small to split by rows (one sequence) still keeps two threads busy. Each row's chains are
   * those of {@link #run}, so the bits are the same. Layers that {@link #run} splits by units, or whose
   * split is timed (small ones), run one after the other as before.
   */
  static void runPair(RecurrentLayer a, Cache ka, RecurrentLayer b, Cache kb) {
    int threads = Parallel.threads();
    if (threads < 2 || !a.pairs(ka) || !b.pairs(kb)) {
      a.run(ka);
      b.run(kb);
      return;
    }
    try {
      int[] rows = ka.layout.balancedRankSplit(threads / 2);
      int parts = rows.length - 1;
      a.prepareWholeLoop(ka);
      b.prepareWholeLoop(kb);
      Parallel.run(2 * parts, (p, total) -> {
        RecurrentLayer layer = p < parts ? a : b;
        int part = p % parts;
        layer.forwardRows(p < parts ? ka : kb, rows[part], rows[part + 1], true);
      });
    } finally {
      a.release(ka);
      b.release(kb);
    }
  }

  /** Whether {@link #runPair} may run this prepared loop beside the other direction's. */
  private boolean pairs(Cache k) {
    return unitParts() == 1 && !timedSplit(k) && k.layout.batch() > 0;
  }

  /** What a loop over ranks needs before it starts, and the rank split that backward will reuse. */
  private void prepareWholeLoop(Cache k) {
    k.wholeHh[0] = wHh.packedTransposed();
    k.split = k.layout.balancedRankSplit(rankParts(k));
  }

  private int rankParts(Cache k) {
    return Math.max(1, Math.min(Parallel.threads(), k.layout.batch() / MIN_ROWS_PER_PART));
  }

  private static void release(Cache k) {
    k.table = null; // not kept: a rebuilt table must not be held twice
    k.ids = null;
  }

  /**
   * x·W_ihᵀ plus the input-side biases for every row of x (V, I): the gate pre-activations the
   * input projection gives each vocabulary entry. Same kernel and order as {@link #forward}.
   */
  final float[] projectionTable(float[] x, int xOff, int rows) {
    float[] table = new float[rows * gateWidth];
    Blas.gemm(rows, x, xOff, inputSize, wIh.packedTransposed(), 0f, table, 0, gateWidth);
    addInputBiases(new Cache(), table, rows);
    return table;
  }

  private void begin(Cache k, SequenceLayout layout, int gateRows, float[] x, int xOff, int ldx,
                     float[] h0, float[] c0, float[] out, int outOff, int ldo) {
    int n = layout.tokens();
    int b = layout.batch();
    k.layout = layout;
    k.groups = null; // forwardGrouped sets it after
    k.units = null; // recurByUnits sets it
    k.x = x;
    k.xOff = xOff;
    k.ldx = ldx;
    k.out = out;
    k.outOff = outOff;
    k.ldo = ldo;
    k.gates = Ops.ensure(k.gates, gateRows * gateWidth);
    k.h0 = initialState(k.h0, h0, b);
    k.zeroH0 = h0 == null;
    if (cell.hasCellState()) {
      k.c0 = initialState(k.c0, c0, b);
    }
    prepareForward(k, n, b);
  }

  private void recur(Cache k) {
    int b = k.layout.batch();
    int parts = rankParts(k);
    int unitParts = unitParts();
    if (unitParts > 1) {
      k.split = k.layout.balancedRankSplit(parts); // backward splits by ranks
      recurByUnits(k, unitParts);
      return;
    }
    k.wholeHh[0] = wHh.packedTransposed();
    SplitChooser chooser = parts > 1 && timedSplit(k) ? k.splitChooser : null;
    boolean split = chooser == null || chooser.split();
    long t0 = chooser != null ? System.nanoTime() : 0;
    k.split = k.layout.balancedRankSplit(split ? parts : 1);
    if (k.split.length == 2) {
      forwardRows(k, 0, b, false);
    } else {
      Parallel.run(k.split.length - 1, (p, total) -> forwardRows(k, k.split[p], k.split[p + 1], true));
    }
    if (chooser != null) {
      chooser.record(split, System.nanoTime() - t0, k.layout.tokens());
    }
  }

  /**
   * Threads that split each step of this layer's loop by hidden units, or 1 to split by ranks. A rank
   * split needs no barrier per step but has every thread stream all of W_hh each step; by units, each
   * streams its share of W_hh's rows once per step, for all rows, at the cost of one parallel region per
   * step. Which wins depends on W_hh's size against the caches: {@link KernelTuning#unitSplitWeightBytes()}.
   */
  private int unitParts() {
    int threads = Parallel.threads();
    long weightBytes = (long) gateWidth * hidden * Float.BYTES;
    if (threads < 2 || weightBytes < KernelTuning.current().unitSplitWeightBytes()) {
      return 1;
    }
    // Slices of whole vectors, at least two per thread.
    return Math.min(threads, hidden / (2 * Vectorization.lanes()));
  }

  /**
   * The time loop split by hidden units: part p of every step computes units [u_p, u_p+1) of all
   * running rows (their gate columns in each gate block, then the gate math), and step t+1 starts
   * once every part has written h_t. Each element's chains and the gate math are those of the rank
   * split, so the results are the same bits.
   */
  private void recurByUnits(Cache k, int parts) {
    SequenceLayout layout = k.layout;
    int lanes = Vectorization.lanes();
    int[] units = new int[parts + 1];
    for (int p = 1; p <= parts; p++) {
      units[p] = p == parts ? hidden : (int) ((long) hidden * p / parts / lanes * lanes);
    }
    k.units = units;
    int gates = cell.gates();
    PackedMatrix[][] w = new PackedMatrix[parts][gates];
    for (int p = 0; p < parts; p++) {
      for (int q = 0; q < gates; q++) {
        w[p][q] = wHh.packedTransposedRows(q * hidden + units[p], units[p + 1] - units[p]);
      }
    }
    int[] step = new int[1];
    Parallel.PartTask task = (p, total) -> stepUnits(k, step[0], units[p], units[p + 1], w[p]);
    for (int t = 0, steps = layout.steps(); t < steps && layout.batchSize(t) > 0; t++) {
      step[0] = t; // published to the workers by the region's start
      Parallel.run(parts, task);
    }
  }

  /** Units [u0, u1) of every running row at step t: the gate inputs, then the cell's step. */
  private void stepUnits(Cache k, int t, int u0, int u1, PackedMatrix[] w) {
    int rows = k.layout.batchSize(t);
    for (int q = 0, gates = cell.gates(); q < gates; q++) {
      gateInputs(k, t, 0, rows, q * hidden + u0, u1 - u0);
    }
    forwardStep(k, t, 0, rows, u0, u1, previousHidden(k, t), previousHiddenOffset(k, t, 0),
        previousHiddenStride(k, t), w, true);
  }

  /**
   * Columns [col, col + width) of the gate inputs of ranks [r0, r1) at step t: the looked-up rows (with
   * the biases in them, or added as each row is copied), or the biases added to the projection's rows.
   */
  private void gateInputs(Cache k, int t, int r0, int r1, int col, int width) {
    int row0 = k.layout.stepOffset(t);
    if (stepGates(k)) {
      for (int r = r0; r < r1; r++) {
        System.arraycopy(k.table, k.ids[row0 + r] * gateWidth + col, k.gates, r * gateWidth + col, width);
      }
    } else if (k.table != null) {
      for (int r = r0; r < r1; r++) {
        Ops.sum(k.table, k.ids[row0 + r] * gateWidth + col, k.bias, col, k.gates, (row0 + r) * gateWidth + col,
            width);
      }
    } else {
      Ops.addToRows(k.gates, (row0 + r0) * gateWidth + col, r1 - r0, width, gateWidth, k.bias, col);
    }
  }

  /**
   * Gate columns [q·H + u0, ...) of rows (leading dimension G·H) from cOff: C = beta·C + h·w[q]ᵀ for every
   * matrix q of w. With W_hh whole ({@link Cache#wholeHh}) that is one product over all gate columns;
   * with a part's slices, one per gate. On the calling thread when inRegion.
   */
  final void recurrentProducts(boolean inRegion, int rows, float[] hp, int hpOff, int ldhp, PackedMatrix[] w,
                               float beta, float[] c, int cOff) {
    for (int q = 0; q < w.length; q++) {
      gemm(inRegion, rows, hp, hpOff, ldhp, w[q], beta, c, cOff + q * hidden, gateWidth);
    }
  }

  /** Whether a time loop is an inference one small enough for its split to be timed. */
  private boolean timedSplit(Cache k) {
    return k.inference && (long) k.layout.tokens() * gateWidth * hidden < TIMED_SPLIT_MACS;
  }

  private float[] initialState(float[] buf, float[] given, int b) {
    buf = Ops.ensure(buf, b * hidden);
    if (given == null) {
      Arrays.fill(buf, 0, b * hidden, 0f);
    } else {
      System.arraycopy(given, 0, buf, 0, b * hidden);
    }
    return buf;
  }

  /** The rows of step t-1's hidden state: the layer's output, or h0 before step 0. */
  final float[] previousHidden(Cache k, int t) {
    return t == 0 ? k.h0 : k.out;
  }

  /** Where row r0 of step t-1's hidden state starts in {@link #previousHidden}. */
  final int previousHiddenOffset(Cache k, int t, int r0) {
    return t == 0 ? r0 * hidden : k.outOff + (k.layout.stepOffset(t - 1) + r0) * k.ldo;
  }

  /** The row stride of {@link #previousHidden}. */
  final int previousHiddenStride(Cache k, int t) {
    return t == 0 ? hidden : k.ldo;
  }

  private void forwardRows(Cache k, int r0, int r1, boolean inRegion) {
    SequenceLayout layout = k.layout;
    for (int t = 0, steps = layout.steps(); t < steps; t++) {
      int hi = Math.min(r1, layout.batchSize(t));
      if (r0 >= hi) {
        break;
      }
      float[] hp = previousHidden(k, t);
      int hpOff = previousHiddenOffset(k, t, r0);
      int ldhp = previousHiddenStride(k, t);
      // By the thread that uses the rows next, while they are hot, rather than in a pass of its own.
      gateInputs(k, t, r0, hi, 0, gateWidth);
      forwardStep(k, t, r0, hi, 0, hidden, hp, hpOff, ldhp, k.wholeHh, inRegion);
    }
  }

  /**
   * The gate buffer's row for rank r at step t: its packed row, or r when looking rows up. Inference
   * then reuses one (B, G·H) block that stays in cache instead of writing and re-reading an (N, G·H)
   * buffer that backward would have needed (tens of megabytes per layer and direction for a large model).
   */
  static int gateRow(Cache k, int t, int r) {
    return stepGates(k) ? r : k.layout.stepOffset(t) + r;
  }

  /** Whether the gate buffer holds one step's rows only: an inference look-up, not a grouped forward. */
  private static boolean stepGates(Cache k) {
    return k.table != null && k.groups == null;
  }

  /** Whether step t's recurrent product h_{t-1}·W_hhᵀ is all zeros and can be skipped. */
  static boolean zeroRecurrence(Cache k, int t) {
    return t == 0 && k.zeroH0;
  }

  /** Whether step t's dh ← (gate gradients)·W_hh has a reader. */
  static boolean needsDhPrev(Cache k, int t) {
    return t > 0 || k.wantDh0;
  }

  /**
   * Units [u0, u1) of ranks [r0, r1) at step t: the recurrent products with w ({@link
   * #recurrentProducts}: W_hh whole for all units, or the units' slice of each gate), then the gate math
   * row by row. hp: row r0 of h_{t-1}, rows ldhp apart. On the calling thread when inRegion.
   */
  abstract void forwardStep(Cache k, int t, int r0, int r1, int u0, int u1, float[] hp, int hpOff, int ldhp,
                            PackedMatrix[] w, boolean inRegion);

  /** Allocates cell-specific forward buffers. */
  void prepareForward(Cache k, int n, int b) {}

  /** Adds b_ih (and whatever part of b_hh sits outside the recurrence) to every row. */
  private void addInputBiases(Cache k, float[] g, int n) {
    inputBiases(k);
    Ops.addToRows(g, 0, n, gateWidth, gateWidth, k.bias, 0);
  }

  /**
   * k.bias = b_ih plus the part of b_hh outside the recurrence: one summed vector per row is a loop
   * C2 vectorises, instead of two loads from the parameters.
   */
  private void inputBiases(Cache k) {
    k.bias = Ops.ensure(k.bias, gateWidth);
    float[] p = bIh.data();
    for (int j = 0; j < gateWidth; j++) {
      k.bias[j] = p[bIh.offset() + j] + (recurrentBiasOutside(j) ? p[bHh.offset() + j] : 0f);
    }
  }

  /** Whether b_hh of gate column j can be added with the input biases (all but GRU's b_hn). */
  boolean recurrentBiasOutside(int j) {
    return true;
  }

  /** Copies the final states (each sequence's own last step) into hN, cN: (B, H) rank order. */
  final void finalState(Cache k, float[] hN, int hOff, float[] cN, int cOff) {
    SequenceLayout layout = k.layout;
    for (int r = 0; r < layout.batch(); r++) {
      int row = layout.stepOffset(layout.lengthOfRank(r) - 1) + r;
      System.arraycopy(k.out, k.outOff + row * k.ldo, hN, hOff + r * hidden, hidden);
      if (cN != null && cell.hasCellState()) {
        System.arraycopy(k.cells, row * hidden, cN, cOff + r * hidden, hidden);
      }
    }
  }

  /**
   * Backpropagates through the layer. Accumulates parameter gradients; writes (or, with
   * {@code accumulate}, adds) the input gradient into dx; writes dh0/dc0 (rank order) when
   * non-null. dOut (N rows, leading dimension ldd) must be given; dhN/dcN (B, H) may be null.
   * Overwrites the cached activations, so it runs once per forward.
   */
  final void backward(Cache k, float[] dOut, int dOff, int ldd, float[] dhN, float[] dcN,
                      float[] dx, int dxOff, int lddx, boolean accumulate, float[] dh0, float[] dc0) {
    SequenceLayout layout = k.layout;
    int n = layout.tokens();
    int b = layout.batch();
    k.dh = Ops.ensure(k.dh, b * hidden);
    if (cell.hasCellState()) {
      k.dc = Ops.ensure(k.dc, b * hidden);
    }
    prepareBackward(k, n, b);
    k.wantDh0 = dh0 != null;
    // The forward's split: each thread finds the rows it wrote still in its own cache.
    if (k.units != null) {
      backwardByUnits(k, dOut, dOff, ldd, dhN, dcN);
    } else if (k.split.length == 2) {
      backwardRows(k, 0, b, dOut, dOff, ldd, dhN, dcN, false);
    } else {
      Parallel.run(k.split.length - 1, (p, total) ->
          backwardRows(k, k.split[p], k.split[p + 1], dOut, dOff, ldd, dhN, dcN, true));
    }
    if (dh0 != null) {
      System.arraycopy(k.dh, 0, dh0, 0, b * hidden);
    }
    if (dc0 != null && cell.hasCellState()) {
      System.arraycopy(k.dc, 0, dc0, 0, b * hidden);
    }

    recurrentWeightGradient(k, n, b);
    if (k.groups != null) {
      groupedInputGradients(k, dx, dxOff, lddx, accumulate);
    } else {
      inputGradients(k, n, dx, dxOff, lddx, accumulate);
    }
  }

  /**
   * {@link #inputGradients} after a {@link #forwardGrouped}: the x-side gate gradients summed per
   * group into k.distinct (U, G·H) together with the bias gradients, then dW_ih and dx (U, I)
   * from those U rows (dx and the products run over {@link TokenGroups#paddedCount} rows).
   */
  private void groupedInputGradients(Cache k, float[] dx, int dxOff, int lddx, boolean accumulate) {
    TokenGroups g = k.groups;
    int u = g.paddedCount();
    float[] gu = k.distinct;
    k.partialSums = Ops.ensure(k.partialSums, Ops.groupSumScratch(gateWidth));
    sumInputGateGradients(k, g, gu);
    Arrays.fill(gu, g.count() * gateWidth, u * gateWidth, 0f); // the padding rows: no gradient
    Blas.gemm(true, false, gateWidth, inputSize, u, gu, 0, gateWidth, k.x, 0, inputSize,
        1f, wIh.grad(), wIh.offset(), inputSize);
    if (dx != null) {
      Blas.gemm(u, gu, 0, gateWidth, wIh.packed(), accumulate ? 1f : 0f, dx, dxOff, lddx);
    }
  }

  /**
   * gu (U, G·H) = the x-side gate gradients of each group's packed rows, summed, and the bias
   * gradients from gu's rows (b_hh's equal b_ih's).
   */
  void sumInputGateGradients(Cache k, TokenGroups g, float[] gu) {
    Ops.sumGroups(k.gates, 0, gateWidth, gateWidth, g.start(), g.members(), g.count(), gu, 0, gateWidth,
        bIh.grad(), bIh.offset(), bHh.grad(), bHh.offset(), k.partialSums);
  }

  /** dW_hh += Σ over the N rows of (gate gradients)ᵀ·h_{t-1}, rows in packed order. */
  private void recurrentWeightGradient(Cache k, int n, int b) {
    SequenceLayout layout = k.layout;
    float[] grad = wHh.grad();
    if (layout.batchSize(layout.steps() - 1) == b) {
      // Every sequence runs every step, so h_{t-1} of row q >= B is output row q - B: the rows of
      // t = 0 against h0, then the rest against the outputs one step back, with no gathered copy.
      // Two products continuing one chain through C give the bits of one product over all rows.
      if (!k.zeroH0) {
        Blas.gemm(true, false, gateWidth, hidden, b, k.gates, 0, gateWidth, k.h0, 0, hidden,
            1f, grad, wHh.offset(), hidden);
      }
      Blas.gemm(true, false, gateWidth, hidden, n - b, k.gates, b * gateWidth, gateWidth,
          k.out, k.outOff, k.ldo, 1f, grad, wHh.offset(), hidden);
      return;
    }
    // Ragged batches: h_{t-1} gathered for every packed row, then one product.
    k.hPrev = Ops.ensure(k.hPrev, n * hidden);
    for (int t = 0; t < layout.steps(); t++) {
      int rows = layout.batchSize(t);
      int dst = layout.stepOffset(t) * hidden;
      if (t == 0) {
        System.arraycopy(k.h0, 0, k.hPrev, dst, rows * hidden);
      } else {
        int src = k.outOff + layout.stepOffset(t - 1) * k.ldo;
        for (int r = 0; r < rows; r++) {
          System.arraycopy(k.out, src + r * k.ldo, k.hPrev, dst + r * hidden, hidden);
        }
      }
    }
    int from = k.zeroH0 ? layout.batchSize(0) : 0; // step 0's rows are the first B
    Blas.gemm(true, false, gateWidth, hidden, n - from, k.gates, from * gateWidth, gateWidth, k.hPrev,
        from * hidden, hidden, 1f, grad, wHh.offset(), hidden);
  }

  private void backwardRows(Cache k, int r0, int r1, float[] dOut, int dOff, int ldd,
                            float[] dhN, float[] dcN, boolean inRegion) {
    SequenceLayout layout = k.layout;
    int steps = layout.steps();
    for (int t = steps - 1; t >= 0; t--) {
      int hi = Math.min(r1, layout.batchSize(t));
      if (r0 >= hi) {
        continue;
      }
      // Ranks whose last step is t start receiving gradient here, from the final state.
      int startFrom = Math.max(r0, t + 1 < steps ? layout.batchSize(t + 1) : 0);
      for (int r = startFrom; r < hi; r++) {
        seed(k.dh, dhN, r);
        if (cell.hasCellState()) {
          seed(k.dc, dcN, r);
        }
      }
      backwardStep(k, t, r0, hi, dOut, dOff, ldd, inRegion);
    }
  }

  private void seed(float[] d, float[] given, int r) {
    seed(d, given, r, 0, hidden);
  }

  /** Units [u0, u1) of rank r's gradient from the final state: given's, or zeros. */
  private void seed(float[] d, float[] given, int r, int u0, int u1) {
    if (given == null) {
      Arrays.fill(d, r * hidden + u0, r * hidden + u1, 0f);
    } else {
      System.arraycopy(given, r * hidden + u0, d, r * hidden + u0, u1 - u0);
    }
  }

  /**
   * Backward of a forward split by units, split the same way: part p of region t computes its units
   * of dh for the ranks of step t+1 from all of step t+1's gate gradients (W_hh's columns of those
   * units), then its units of step t's gate gradients. A region ends before the next one reads the
   * gate gradients every part wrote. Each element's chain and order are those of the rank split.
   */
  private void backwardByUnits(Cache k, float[] dOut, int dOff, int ldd, float[] dhN, float[] dcN) {
    int[] units = k.units;
    int parts = units.length - 1;
    PackedMatrix[] w = new PackedMatrix[parts];
    for (int p = 0; p < parts; p++) {
      w[p] = wHh.packedColumns(units[p], units[p + 1] - units[p]);
    }
    int[] step = new int[1];
    Parallel.PartTask task = (p, total) ->
        backwardUnits(k, step[0], units[p], units[p + 1], w[p], dOut, dOff, ldd, dhN, dcN);
    for (int t = k.layout.steps() - 1; t >= (k.wantDh0 ? -1 : 0); t--) {
      step[0] = t; // published to the workers by the region's start
      Parallel.run(parts, task);
    }
  }

  /** Units [u0, u1): dh of step t+1's ranks (t+1 < steps), then step t's gate gradients (t >= 0). */
  private void backwardUnits(Cache k, int t, int u0, int u1, PackedMatrix w, float[] dOut, int dOff, int ldd,
                             float[] dhN, float[] dcN) {
    SequenceLayout layout = k.layout;
    int steps = layout.steps();
    int next = t + 1 < steps ? layout.batchSize(t + 1) : 0;
    if (next > 0) {
      Blas.gemmSerial(next, k.gates, layout.stepOffset(t + 1) * gateWidth, gateWidth, w, dhProductBeta(),
          k.dh, u0, hidden);
    }
    if (t < 0) {
      return;
    }
    int rows = layout.batchSize(t);
    for (int r = next; r < rows; r++) { // ranks whose last step is t
      seed(k.dh, dhN, r, u0, u1);
      if (cell.hasCellState()) {
        seed(k.dc, dcN, r, u0, u1);
      }
    }
    backwardGates(k, t, 0, rows, u0, u1, dOut, dOff, ldd);
  }

  /** Beta of dh ← beta·dh + (gate gradients)·W_hh: 0, or 1 where the cell's backward left a direct part in dh. */
  float dhProductBeta() {
    return 0f;
  }

  /**
   * Gate gradients of units [u0, u1) of ranks [r0, r1) at step t, from dh (the gradient into h_t, plus
   * dOut's rows of step t); LSTM's dc too. The gate math only: dh ← (gate gradients)·W_hh is the caller's.
   */
  abstract void backwardGates(Cache k, int t, int r0, int r1, int u0, int u1, float[] dOut, int dOff, int ldd);

  /** Gate gradients for ranks [r0, r1) at step t, then dh ← (gate gradients)·W_hh. */
  final void backwardStep(Cache k, int t, int r0, int r1, float[] dOut, int dOff, int ldd, boolean inRegion) {
    backwardGates(k, t, r0, r1, 0, hidden, dOut, dOff, ldd);
    if (needsDhPrev(k, t)) {
      gemm(inRegion, r1 - r0, k.gates, (k.layout.stepOffset(t) + r0) * gateWidth, gateWidth, wHh.packed(),
          dhProductBeta(), k.dh, r0 * hidden, hidden);
    }
  }

  /** Allocates cell-specific backward buffers. */
  void prepareBackward(Cache k, int n, int b) {}

  /** dW_ih, both bias gradients and dx from the gate gradients in k.gates. */
  void inputGradients(Cache k, int n, float[] dx, int dxOff, int lddx, boolean accumulate) {
    Blas.gemm(true, false, gateWidth, inputSize, n, k.gates, 0, gateWidth, k.x, k.xOff, k.ldx,
        1f, wIh.grad(), wIh.offset(), inputSize);
    Ops.addColumnSums(k.gates, 0, n, gateWidth, gateWidth, bIh.grad(), bIh.offset(), bHh.grad(), bHh.offset());
    if (dx != null) {
      inputRowsGradient(k, 0, n, dx, dxOff, lddx, accumulate, false);
    }
  }

  /**
   * dx (rows, I) of packed rows [row0, row0 + rows) from their gate gradients; on the calling thread
   * when inRegion (inside a parallel region).
   */
  void inputRowsGradient(Cache k, int row0, int rows, float[] dx, int dxOff, int lddx, boolean accumulate,
                         boolean inRegion) {
    gemm(inRegion, rows, k.gates, row0 * gateWidth, gateWidth, wIh.packed(), accumulate ? 1f : 0f, dx, dxOff, lddx);
  }

  // Stepped use: a decoder whose input at step t depends on its output at t - 1 cannot hand the
  // layer all N input rows at once. It writes step t's rows of x and calls stepForward, then runs
  // backward one step at a time in reverse. Each step computes exactly what forward and backward
  // compute for those rows (the same kernels on the same rows), and the weight gradients are still
  // one product over all N rows at the end.

  /**
   * Starts a stepped run over the layout. x (N, I) with leading dimension ldx is filled step by step
   * by the caller before each {@link #stepForward}; h0, c0 (B, H) in rank order, not null.
   */
  final void beginSteps(Cache k, SequenceLayout layout, float[] x, int ldx, float[] h0, float[] c0,
                        float[] out, int outOff, int ldo) {
    begin(k, layout, layout.tokens(), x, 0, ldx, h0, c0, out, outOff, ldo);
    inputBiases(k);
    k.wholeHh[0] = wHh.packedTransposed();
  }

  /**
   * Step t for ranks [r0, r1) (clipped to the step's batch): the input projection of x's rows, the
   * recurrence and the gate math; on the calling thread when inRegion. Threads that split the ranks
   * run every step on their own rows, as {@link #forward}'s time loop does.
   */
  final void stepForward(Cache k, int t, int r0, int r1, boolean inRegion) {
    SequenceLayout layout = k.layout;
    int hi = Math.min(r1, layout.batchSize(t));
    if (r0 >= hi) {
      return;
    }
    int row0 = layout.stepOffset(t) + r0;
    gemm(inRegion, hi - r0, k.x, k.xOff + row0 * k.ldx, k.ldx, wIh.packedTransposed(), 0f, k.gates,
        row0 * gateWidth, gateWidth);
    gateInputs(k, t, r0, hi, 0, gateWidth);
    forwardStep(k, t, r0, hi, 0, hidden, previousHidden(k, t), previousHiddenOffset(k, t, r0),
        previousHiddenStride(k, t), k.wholeHh, inRegion);
  }

  /** Starts the stepped backward: the gradient into every final state is zero. */
  final void beginBackwardSteps(Cache k) {
    int b = k.layout.batch();
    k.dh = Ops.ensure(k.dh, b * hidden);
    Arrays.fill(k.dh, 0, b * hidden, 0f);
    if (cell.hasCellState()) {
      k.dc = Ops.ensure(k.dc, b * hidden);
      Arrays.fill(k.dc, 0, b * hidden, 0f);
    }
    prepareBackward(k, k.layout.tokens(), b);
    k.wantDh0 = true;
  }

  /**
   * Step t backward for ranks [r0, r1) (clipped to the step's batch): dOut's rows of step t
   * (leading dimension ldd) are the gradient into this step's outputs from above; writes dx's rows
   * of step t (leading dimension lddx). On the calling thread when inRegion.
   */
  final void stepBackward(Cache k, int t, int r0, int r1, float[] dOut, int dOff, int ldd, float[] dx, int dxOff,
                          int lddx, boolean inRegion) {
    SequenceLayout layout = k.layout;
    int hi = Math.min(r1, layout.batchSize(t));
    if (r0 >= hi) {
      return;
    }
    int row0 = layout.stepOffset(t) + r0;
    backwardStep(k, t, r0, hi, dOut, dOff, ldd, inRegion);
    inputRowsGradient(k, row0, hi - r0, dx, dxOff + row0 * lddx, lddx, false, inRegion);
  }

  /** Ends the stepped backward: dh0, dc0 (B, H) rank order, then the weight and bias gradients. */
  final void finishBackwardSteps(Cache k, float[] dh0, float[] dc0) {
    int b = k.layout.batch();
    System.arraycopy(k.dh, 0, dh0, 0, b * hidden);
    if (dc0 != null && cell.hasCellState()) {
      System.arraycopy(k.dc, 0, dc0, 0, b * hidden);
    }
    recurrentWeightGradient(k, k.layout.tokens(), b);
    inputGradients(k, k.layout.tokens(), null, 0, 0, false);
  }

  /** C = beta·C + A·B for a packed B: on the calling thread inside a parallel region, else parallel. */
  static void gemm(boolean inRegion, int m, float[] a, int aOff, int lda, PackedMatrix b,
                   float beta, float[] c, int cOff, int ldc) {
    if (inRegion) {
      Blas.gemmSerial(m, a, aOff, lda, b, beta, c, cOff, ldc);
    } else {
      Blas.gemm(m, a, aOff, lda, b, beta, c, cOff, ldc);
    }
  }
}
