package org.rnn4j.network;

import java.util.Arrays;
import org.rnn4j.math.Activations;
import org.rnn4j.math.Ops;
import org.rnn4j.math.Parallel;
import org.rnn4j.nn.Attention;
import org.rnn4j.nn.Embedding;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Linear;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.nn.RecurrentStack;
import org.rnn4j.nn.RowSet;
import org.rnn4j.nn.SequenceLayout;
import org.rnn4j.nn.SoftmaxCrossEntropy;
import org.rnn4j.nn.SteppedRecurrentStack;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;

/**
 * Encoder-decoder with attention (the model of {@code ../shared/bench/torch_seq2seq.py}, generalised):
 * <pre>
 *   source ids → src_emb → encoder (RecurrentStack, packed: padding never computed) → memory (B, S, K)
 *   decoder step t: q = top hidden state of step t-1;  context = attention(q, memory)
 *                   [tgt_emb(y_t) ; context] → decoder (SteppedRecurrentStack) → out → logits (V)
 * </pre>
 * The decoder starts from the encoder's final states: layer by layer when the encoder is
 * unidirectional (the reference model); with a bidirectional encoder each layer's two final states
 * are joined by a learned bridge, h0 = tanh(bridge · [forward ; reverse] + b), and for LSTM the
 * cell states by {@code bridge_cell} (linear, no tanh: cell states are unbounded). With tied
 * embeddings the output layer's weight is {@code tgt_emb.weight} itself (also named
 * {@code out.weight}, as in a PyTorch state dict), and both uses add into its gradient.
 *
 * <p>Parameter names are the PyTorch module's: {@code src_emb}, {@code encoder.*}, {@code tgt_emb},
 * {@code attn_*}, {@code decoder.*}, {@code out}, {@code bridge}, {@code bridge_cell}, registered in
 * that order, which is also the order PyTorch initialises them in.
 *
 * <p>A batch's decoder rows are packed by target length (rank order of the target layout), and the
 * memory is gathered in that order, so a finished target costs nothing in later steps.
 */
public final class Seq2SeqNet {
  private final Seq2SeqConfig config;
  private final ParameterSet params = new ParameterSet();
  private final Embedding sourceEmbedding;
  private final RecurrentStack encoder;
  private final Embedding targetEmbedding;
  private final Attention attention;
  private final SteppedRecurrentStack decoder;
  private final Linear out;
  private final Linear bridge;
  private final Linear bridgeCell;

  public Seq2SeqNet(Seq2SeqConfig config) {
    this.config = config;
    int e = config.embed();
    int h = config.hidden();
    int k = config.memorySize();
    this.sourceEmbedding = new Embedding(params, "src_emb", config.sourceVocabulary(), e, -1);
    this.encoder = new RecurrentStack(params, "encoder.", config.cell(), e, h, config.layers(),
        config.bidirectional(), config.dropout());
    this.targetEmbedding = new Embedding(params, "tgt_emb", config.targetVocabulary(), e, -1);
    this.attention = new Attention(params, config.attention(), h, k);
    this.decoder = new SteppedRecurrentStack(params, "decoder.", config.cell(), e + k, h, config.layers(),
        config.dropout());
    this.out = config.tiedEmbeddings() ? new Linear(params, "out", targetEmbedding.weight())
        : new Linear(params, "out", h, config.targetVocabulary());
    this.bridge = config.bidirectional() ? new Linear(params, "bridge", 2 * h, h) : null;
    this.bridgeCell = config.bidirectional() && config.cell().hasCellState()
        ? new Linear(params, "bridge_cell", 2 * h, h) : null;
  }

  public Seq2SeqConfig config() {
    return config;
  }

  public ParameterSet parameters() {
    return params;
  }

  /** PyTorch's default initialisation in module order, as after {@code torch.manual_seed}. */
  public void initialize(TorchGenerator g) {
    sourceEmbedding.initialize(g);
    Init.recurrent(params, "encoder.", config.hidden(), g);
    targetEmbedding.initialize(g);
    attention.initialize(g);
    Init.recurrent(params, "decoder.", config.hidden(), g);
    out.initialize(g);
    if (bridge != null) {
      bridge.initialize(g);
    }
    if (bridgeCell != null) {
      bridgeCell.initialize(g);
    }
  }

  /** Activations and gradients of one batch; one per thread, reused across batches. */
  public static final class Workspace {
    final RecurrentStack.Cache encoder;
    final EmbeddedInput source = new EmbeddedInput();
    final SteppedRecurrentStack.Cache decoder;
    final Attention.Memory memory = new Attention.Memory();
    final Attention.Cache attention;
    SequenceLayout sourceLayout;
    SequenceLayout targetLayout;
    int[] memoryRow = new int[0];
    int[] targetIds = new int[0];
    int[] targets = new int[0];
    float[] targetRows = new float[0];
    final Start start = new Start();
    int[] order = new int[0];
    int[] split;
    boolean freeRunning;
    float[] logits = new float[0];
    float[] dLogits = new float[0];
    float[] dQuery0 = new float[0];
    float[] dh0 = new float[0];
    float[] dc0 = new float[0];
    float[] dBridge = new float[0];
    float[] dhN = new float[0];
    float[] dcN = new float[0];
    float[] dEncoderOut = new float[0];
    float[] dTargetRows = new float[0];
    final RowSet touchedSource = new RowSet();
    final RowSet touchedTarget = new RowSet();

    Workspace(Seq2SeqNet net) {
      encoder = net.encoder.newCache();
      decoder = net.decoder.newCache();
      attention = net.attention.newCache();
    }

    /** Logits (N, V) of the last forward, rows packed by the target layout. */
    public float[] logits() {
      return logits;
    }

    /** The packed layout of the last forward's decoder rows. */
    public SequenceLayout targetLayout() {
      return targetLayout;
    }

    /** Attention weights (N, S) of the last forward, rows packed as the logits. */
    public float[] attentionWeights() {
      return attention.weights();
    }

    /** Source and target embedding rows the last backward wrote gradient into. */
    public RowSet touchedSourceRows() {
      return touchedSource;
    }

    public RowSet touchedTargetRows() {
      return touchedTarget;
    }
  }

  public Workspace newWorkspace() {
    return new Workspace(this);
  }

  /**
   * Teacher-forced forward over a batch of B pairs. Returns the logits (N, V), one row per target
   * position in the target layout's packed order.
   *
   * @param source        (B, S) source ids; row b's first sourceLengths[b] are read
   * @param sourceLengths (B) each in 1..S
   * @param targetIn      (B, T) decoder inputs: bos, then the target; row b's first targetLengths[b] are read
   * @param targetLengths (B) each in 1..T (target length + 1)
   */
  public float[] forward(Workspace ws, int[] source, int[] sourceLengths, int sourceSteps, int[] targetIn,
                         int[] targetLengths, int targetSteps, boolean training, Rng rng) {
    return forward(ws, source, sourceLengths, sourceSteps, targetIn, targetLengths, targetSteps, training, rng, true);
  }

  /**
   * {@link #forward}, or with {@code teacherForcing} false free-running: the decoder's input at step
   * t > 0 is its own most likely token of step t - 1 (as PyTorch's seq2seq tutorial feeds
   * {@code topi.detach()}), not targetIn's; targetIn's first column (bos) and the lengths still
   * apply, and the loss is against the targets as before.
   */
  public float[] forward(Workspace ws, int[] source, int[] sourceLengths, int sourceSteps, int[] targetIn,
                         int[] targetLengths, int targetSteps, boolean training, Rng rng, boolean teacherForcing) {
    SequenceLayout src = SequenceLayout.of(sourceLengths, sourceSteps);
    SequenceLayout tgt = SequenceLayout.of(targetLengths, targetSteps);
    if (src.batch() != tgt.batch()) {
      throw new IllegalArgumentException("source and target batches differ: " + src.batch() + " and " + tgt.batch());
    }
    ws.sourceLayout = src;
    ws.targetLayout = tgt;
    int b = tgt.batch();
    ws.source.forward(sourceEmbedding, encoder, ws.encoder, source, src, null, null, training, rng);
    ws.order = ws.order.length >= b ? ws.order : new int[b];
    for (int r = 0; r < b; r++) {
      ws.order[r] = tgt.order(r);
    }
    fillMemory(ws.encoder, src, ws.order, b, ws.memory);
    if (ws.memoryRow.length < b) {
      ws.memoryRow = new int[b];
    }
    for (int r = 0; r < b; r++) {
      ws.memoryRow[r] = r;
    }
    initialState(ws.encoder, ws.order, b, ws.start);
    int n = tgt.tokens();
    int e = config.embed();
    int width = decoder.inputSize();
    ws.targetIds = ws.targetIds.length >= n ? ws.targetIds : new int[n];
    targetEmbedding.packedIds(targetIn, tgt, ws.targetIds);
    ws.targetRows = Ops.ensure(ws.targetRows, n * e);
    targetEmbedding.forward(ws.targetIds, n, ws.targetRows);
    decoder.begin(ws.decoder, tgt, ws.start.h0, config.cell().hasCellState() ? ws.start.c0 : null, training, rng);
    float[] x = decoder.input(ws.decoder);
    for (int q = 0; q < n; q++) {
      System.arraycopy(ws.targetRows, q * e, x, q * width, e);
    }
    attention.begin(ws.attention, ws.memory, n);
    ws.logits = Ops.ensure(ws.logits, n * config.targetVocabulary());
    ws.freeRunning = !teacherForcing;
    ws.split = tgt.balancedRankSplit(Math.max(1, Math.min(Parallel.threads(), b / MIN_ROWS_PER_PART)));
    if (ws.split.length == 2) {
      decodeRows(ws, 0, b, false);
    } else {
      Parallel.run(ws.split.length - 1, (p, total) -> decodeRows(ws, ws.split[p], ws.split[p + 1], true));
    }
    if (teacherForcing) {
      out.forward(decoder.output(ws.decoder), n, ws.logits);
    }
    return ws.logits;
  }

  /** Fewest ranks per thread worth splitting the decoder's time loop for. */
  private static final int MIN_ROWS_PER_PART = 4;

  /**
   * The teacher-forced decoder steps of ranks [r0, r1): attention, then the decoder stack, step by
   * step. The rows of one rank depend on no other rank's, so threads take a share of the ranks each
   * and run every step without a barrier, as the encoder's layers do.
   */
  private void decodeRows(Workspace ws, int r0, int r1, boolean inRegion) {
    SequenceLayout tgt = ws.targetLayout;
    int b = tgt.batch();
    int h = config.hidden();
    int e = config.embed();
    int width = decoder.inputSize();
    int top = (config.layers() - 1) * b * h;
    float[] x = decoder.input(ws.decoder);
    float[] decoded = decoder.output(ws.decoder);
    for (int t = 0; t < tgt.steps(); t++) {
      int hi = Math.min(r1, tgt.batchSize(t));
      if (r0 >= hi) {
        break;
      }
      int row0 = tgt.stepOffset(t) + r0;
      // The query: the top layer's state before step t (h0 at t = 0), the same ranks.
      float[] q = t == 0 ? ws.start.h0 : decoded;
      int qOff = t == 0 ? top + r0 * h : (tgt.stepOffset(t - 1) + r0) * h;
      attention.forward(ws.attention, ws.memory, row0, hi - r0, ws.memoryRow, r0, q, qOff, h, x, row0 * width + e,
          width, inRegion);
      decoder.step(ws.decoder, t, r0, hi, inRegion);
      if (ws.freeRunning) {
        // This step's logits now, and its most likely tokens as the next step's inputs.
        int v = config.targetVocabulary();
        out.forwardRows(decoded, row0, hi - r0, ws.logits, inRegion);
        if (t + 1 < tgt.steps()) {
          int next0 = tgt.stepOffset(t + 1);
          for (int r = r0, end = Math.min(hi, tgt.batchSize(t + 1)); r < end; r++) {
            int y = argmax(ws.logits, (row0 + r - r0) * v, v);
            ws.targetIds[next0 + r] = y;
            System.arraycopy(targetEmbedding.weight().data(), targetEmbedding.weight().offset() + y * e, x,
                (next0 + r) * width, e);
          }
        }
      }
    }
  }

  /** Backward of {@link #decodeRows} for ranks [r0, r1), steps in reverse. */
  private void decodeRowsBackward(Workspace ws, int r0, int r1, boolean inRegion) {
    SequenceLayout tgt = ws.targetLayout;
    int h = config.hidden();
    int e = config.embed();
    int width = decoder.inputSize();
    float[] dx = decoder.inputGradient(ws.decoder);
    float[] dTop = decoder.outputGradient(ws.decoder);
    for (int t = tgt.steps() - 1; t >= 0; t--) {
      int hi = Math.min(r1, tgt.batchSize(t));
      if (r0 >= hi) {
        continue;
      }
      int row0 = tgt.stepOffset(t) + r0;
      decoder.stepBackward(ws.decoder, t, r0, hi, inRegion);
      float[] dq = t == 0 ? ws.dQuery0 : dTop;
      int dqOff = t == 0 ? r0 * h : (tgt.stepOffset(t - 1) + r0) * h;
      attention.backward(ws.attention, ws.memory, row0, hi - r0, ws.memoryRow, r0, dx, row0 * width + e, width, dq,
          dqOff, h, inRegion);
    }
  }

  /**
   * The memory (B, S, K) with row r holding batch row order[r] (the target layout's rank order in
   * training, the batch order in decoding).
   */
  private void fillMemory(RecurrentStack.Cache enc, SequenceLayout src, int[] order, int b, Attention.Memory memory) {
    int k = config.memorySize();
    int[] lengths = new int[b];
    for (int r = 0; r < b; r++) {
      lengths[r] = config.attention() == Attention.Kind.NONE ? 1 : src.length(order[r]);
    }
    if (config.attention() == Attention.Kind.NONE) {
      // One position: the top layer's final states, directions side by side.
      float[] values = memory.reset(b, 1, lengths, k);
      float[] hN = encoder.finalHidden(enc);
      int dirs = config.bidirectional() ? 2 : 1;
      int h = config.hidden();
      for (int r = 0; r < b; r++) {
        for (int d = 0; d < dirs; d++) {
          int slice = (config.layers() - 1) * dirs + d;
          System.arraycopy(hN, (slice * b + order[r]) * h, values, r * k + d * h, h);
        }
      }
    } else {
      int steps = src.steps();
      float[] values = memory.reset(b, steps, lengths, k);
      float[] encoded = encoder.output(enc);
      for (int r = 0; r < b; r++) {
        for (int s = 0; s < lengths[r]; s++) {
          System.arraycopy(encoded, src.packedRow(order[r], s) * k, values, (r * steps + s) * k, k);
        }
      }
    }
    attention.prepare(memory);
  }

  /** The decoder's initial states and what the bridge read to make them. */
  static final class Start {
    float[] h0 = new float[0];
    float[] c0 = new float[0];
    float[] bridgeIn = new float[0];
    float[] cellIn = new float[0];
  }

  /**
   * h0, c0 (layers, B, H), row r from batch row order[r], from the encoder's final states; with a
   * bidirectional encoder through the bridge, whose inputs (layers·B, 2H) are kept for backward.
   */
  private void initialState(RecurrentStack.Cache enc, int[] order, int b, Start start) {
    int h = config.hidden();
    int layers = config.layers();
    int size = layers * b * h;
    boolean lstm = config.cell().hasCellState();
    start.h0 = Ops.ensure(start.h0, size);
    start.c0 = Ops.ensure(start.c0, size);
    float[] hN = encoder.finalHidden(enc);
    float[] cN = encoder.finalCell(enc);
    if (!config.bidirectional()) {
      for (int l = 0; l < layers; l++) {
        for (int r = 0; r < b; r++) {
          System.arraycopy(hN, (l * b + order[r]) * h, start.h0, (l * b + r) * h, h);
          if (lstm) {
            System.arraycopy(cN, (l * b + order[r]) * h, start.c0, (l * b + r) * h, h);
          }
        }
      }
      return;
    }
    start.bridgeIn = Ops.ensure(start.bridgeIn, 2 * size);
    start.cellIn = Ops.ensure(start.cellIn, lstm ? 2 * size : 0);
    for (int l = 0; l < layers; l++) {
      for (int r = 0; r < b; r++) {
        int row = (l * b + r) * 2 * h;
        for (int d = 0; d < 2; d++) {
          int from = ((2 * l + d) * b + order[r]) * h;
          System.arraycopy(hN, from, start.bridgeIn, row + d * h, h);
          if (lstm) {
            System.arraycopy(cN, from, start.cellIn, row + d * h, h);
          }
        }
      }
    }
    bridge.forward(start.bridgeIn, layers * b, start.h0);
    Activations.tanh(start.h0, 0, start.h0, 0, size);
    if (lstm) {
      bridgeCell.forward(start.cellIn, layers * b, start.c0);
    }
  }

  /**
   * A batch of sources being decoded: the encoded memory and the decoder states of R rows
   * (hypotheses), each reading the memory of one source. Rows start as the B sources in batch
   * order; after each {@link #step}, {@link #keep} chooses which rows go on (beam search reorders
   * and repeats them). Not thread-safe; one per decoding call.
   */
  public static final class Decoding {
    private final Seq2SeqNet net;
    private final Attention.Memory memory = new Attention.Memory();
    private final Attention.Cache attention;
    private final SteppedRecurrentStack.Cache decoder;
    private final RecurrentStack.Cache encoder;
    private final Start start = new Start();
    private int rows;
    private float[] h = new float[0];
    private float[] c = new float[0];
    /** Where {@link #keep} writes the next states: the arrays the states before the last step were in. */
    private float[] spareH = new float[0];
    private float[] spareC = new float[0];
    private float[] hNext = new float[0];
    private float[] cNext = new float[0];
    private float[] x = new float[0];
    private float[] emb = new float[0];
    private float[] top = new float[0];
    private float[] logits = new float[0];
    private int[] ids = new int[0];

    private Decoding(Seq2SeqNet net) {
      this.net = net;
      this.attention = net.attention.newInferenceCache();
      this.decoder = net.decoder.newCache();
      this.encoder = net.encoder.newCache();
    }

    /** The rows start as the batch's sources, from the encoder's final states. */
    private void begin(int batch) {
      rows = batch;
      h = Ops.ensure(h, start.h0.length);
      c = Ops.ensure(c, start.c0.length);
      System.arraycopy(start.h0, 0, h, 0, start.h0.length);
      System.arraycopy(start.c0, 0, c, 0, start.c0.length);
    }

    /** Rows (hypotheses) the next step runs. */
    public int rows() {
      return rows;
    }

    /** S: the memory's positions per source. */
    public int sourceSteps() {
      return memory.steps();
    }

    /**
     * One decoder step for the current rows: row r's previous token is tokens[r] and it reads the
     * memory of source memoryRow[r]. Returns the logits (rows, V); {@link #attention} then holds the
     * step's weights. The bits equal the teacher-forced forward's for the same prefix.
     */
    public float[] step(int[] tokens, int[] memoryRow) {
      Seq2SeqConfig cfg = net.config;
      int e = cfg.embed();
      int hid = cfg.hidden();
      int width = net.decoder.inputSize();
      int size = cfg.layers() * rows * hid;
      for (int r = 0; r < rows; r++) {
        if (tokens[r] < 0 || tokens[r] >= cfg.targetVocabulary()) {
          throw new IllegalArgumentException("token " + tokens[r] + " of row " + r
              + " is outside the target vocabulary");
        }
      }
      x = Ops.ensure(x, rows * width);
      ids = ids.length >= rows ? ids : new int[rows];
      System.arraycopy(tokens, 0, ids, 0, rows);
      emb = Ops.ensure(emb, rows * e);
      net.targetEmbedding.forward(ids, rows, emb);
      for (int r = 0; r < rows; r++) {
        System.arraycopy(emb, r * e, x, r * width, e);
      }
      net.attention.begin(attention, memory, rows);
      int topOff = (cfg.layers() - 1) * rows * hid;
      int parts = Math.max(1, Math.min(Parallel.threads(), rows / MIN_ROWS_PER_PART));
      if (parts == 1) {
        net.attention.forward(attention, memory, 0, rows, memoryRow, 0, h, topOff, hid, x, e, width, false);
      } else {
        // Rows are independent; each thread scores its share (the bits do not depend on the split).
        int n = rows;
        Parallel.run(parts, (p, total) -> {
          int lo = (int) ((long) n * p / total);
          int hi = (int) ((long) n * (p + 1) / total);
          net.attention.forward(attention, memory, lo, hi - lo, memoryRow, lo, h, topOff + lo * hid, hid, x,
              lo * width + e, width, true);
        });
      }
      hNext = Ops.ensure(hNext, size);
      cNext = Ops.ensure(cNext, size);
      net.decoder.inferStep(decoder, rows, x, h, c, hNext, cNext);
      // The output layer runs whole blocks of 4 rows, its kernel's fastest shape; the rows added are
      // zeros whose logits nobody reads.
      int padded = (rows + 3) & ~3;
      top = Ops.ensure(top, padded * hid);
      System.arraycopy(hNext, topOff, top, 0, rows * hid);
      Arrays.fill(top, rows * hid, padded * hid, 0f);
      logits = Ops.ensure(logits, padded * cfg.targetVocabulary());
      net.out.forward(top, padded, logits);
      return logits;
    }

    /** Attention weights (rows, S) of the last step. */
    public float[] attention() {
      return attention.weights();
    }

    /** Continues with count rows, row i taking the state row parents[i] of the last step. */
    public void keep(int[] parents, int count) {
      int hid = net.config.hidden();
      int layers = net.config.layers();
      // The states the last step read are no longer needed: their arrays take the next ones.
      float[] nh = Ops.ensure(spareH, layers * count * hid);
      float[] nc = Ops.ensure(spareC, layers * count * hid);
      spareH = h;
      spareC = c;
      boolean lstm = net.config.cell().hasCellState();
      for (int l = 0; l < layers; l++) {
        for (int i = 0; i < count; i++) {
          int from = (l * rows + parents[i]) * hid;
          System.arraycopy(hNext, from, nh, (l * count + i) * hid, hid);
          if (lstm) {
            System.arraycopy(cNext, from, nc, (l * count + i) * hid, hid);
          }
        }
      }
      h = nh;
      c = nc;
      rows = count;
    }
  }

  /**
   * Encodes a batch of sources (B, S) with their lengths for decoding; no dropout. The decoding's
   * rows start as the B sources.
   */
  public Decoding startDecoding(int[] source, int[] lengths, int steps) {
    return startDecoding(source, lengths, steps, newDecoding());
  }

  /** A decoding to pass to {@link #startDecoding(int[], int[], int, Decoding)} batch after batch. */
  public Decoding newDecoding() {
    return new Decoding(this);
  }

  /**
   * {@link #startDecoding(int[], int[], int)} into d, which keeps its buffers from batch to batch
   * (tens of megabytes for a large vocabulary); d's previous decoding ends. Returns d.
   *
   * @throws IllegalArgumentException when d belongs to another network
   */
  public Decoding startDecoding(int[] source, int[] lengths, int steps, Decoding d) {
    if (d.net != this) {
      throw new IllegalArgumentException("the decoding belongs to another network");
    }
    SequenceLayout src = SequenceLayout.of(lengths, steps);
    int b = src.batch();
    new EmbeddedInput().forward(sourceEmbedding, encoder, d.encoder, source, src, null, null, false, null);
    int[] order = new int[b];
    for (int r = 0; r < b; r++) {
      order[r] = r;
    }
    initialState(d.encoder, order, b, d.start);
    d.begin(b);
    fillMemory(d.encoder, src, order, b, d.memory);
    return d;
  }

  /** Per-batch figures of a loss: the mean, and the predictions that equal their target. */
  public record Loss(double mean, int tokens, int correct) {}

  /**
   * Cross-entropy of the last forward against targets (B, T) (the target, then eos; row b's first
   * targetLengths[b] are read), mean over all N target positions, with PyTorch's label smoothing ε;
   * its gradient is kept for {@link #backward}.
   */
  public Loss loss(Workspace ws, int[] targetOut, float labelSmoothing) {
    SequenceLayout tgt = ws.targetLayout;
    int n = tgt.tokens();
    int v = config.targetVocabulary();
    ws.targets = ws.targets.length >= n ? ws.targets : new int[n];
    packTargets(tgt, targetOut, ws.targets);
    ws.dLogits = Ops.ensure(ws.dLogits, n * v);
    double mean = SoftmaxCrossEntropy.forwardBackward(ws.logits, n, v, ws.targets, ws.dLogits, labelSmoothing, true);
    return new Loss(mean, n, correct(ws.logits, n, v, ws.targets));
  }

  static void packTargets(SequenceLayout tgt, int[] targetOut, int[] packed) {
    int steps = tgt.paddedLength();
    for (int t = 0; t < tgt.steps(); t++) {
      for (int r = 0, rows = tgt.batchSize(t); r < rows; r++) {
        packed[tgt.stepOffset(t) + r] = targetOut[tgt.order(r) * steps + t];
      }
    }
  }

  private static int correct(float[] logits, int n, int v, int[] targets) {
    int correct = 0;
    for (int q = 0; q < n; q++) {
      if (argmax(logits, q * v, v) == targets[q]) {
        correct++;
      }
    }
    return correct;
  }

  static int argmax(float[] x, int off, int n) {
    int best = 0;
    for (int j = 1; j < n; j++) {
      if (x[off + j] > x[off + best]) {
        best = j;
      }
    }
    return best;
  }

  /** Accumulates every parameter gradient of the last {@link #loss}. */
  public void backward(Workspace ws) {
    SequenceLayout src = ws.sourceLayout;
    SequenceLayout tgt = ws.targetLayout;
    int n = tgt.tokens();
    int b = tgt.batch();
    int h = config.hidden();
    int e = config.embed();
    int k = config.memorySize();
    int width = decoder.inputSize();
    int layers = config.layers();
    decoder.beginBackward(ws.decoder);
    float[] dTop = decoder.outputGradient(ws.decoder);
    out.backward(decoder.output(ws.decoder), ws.dLogits, n, dTop);
    attention.beginBackward(ws.attention, ws.memory, n);
    ws.dQuery0 = Ops.ensure(ws.dQuery0, b * h);
    Arrays.fill(ws.dQuery0, 0, b * h, 0f);
    float[] dx = decoder.inputGradient(ws.decoder);
    if (ws.split.length == 2) {
      decodeRowsBackward(ws, 0, b, false);
    } else {
      Parallel.run(ws.split.length - 1, (p, total) -> decodeRowsBackward(ws, ws.split[p], ws.split[p + 1], true));
    }
    int size = layers * b * h;
    ws.dh0 = Ops.ensure(ws.dh0, size);
    ws.dc0 = Ops.ensure(ws.dc0, size);
    decoder.finishBackward(ws.decoder, ws.dh0, config.cell().hasCellState() ? ws.dc0 : null);
    Ops.add(ws.dQuery0, 0, ws.dh0, (layers - 1) * b * h, b * h);
    attention.finishBackward(ws.attention, ws.memory, n);

    ws.dTargetRows = Ops.ensure(ws.dTargetRows, n * e);
    for (int q = 0; q < n; q++) {
      System.arraycopy(dx, q * width, ws.dTargetRows, q * e, e);
    }
    ws.touchedTarget.clear();
    targetEmbedding.backward(ws.targetIds, n, ws.dTargetRows, ws.touchedTarget);

    finalStateGradient(ws, b, tgt);
    float[] dOut = null;
    if (config.attention() != Attention.Kind.NONE) {
      ws.dEncoderOut = Ops.ensure(ws.dEncoderOut, src.tokens() * k);
      float[] dValues = ws.memory.valueGradient();
      int steps = ws.memory.steps();
      for (int r = 0; r < b; r++) {
        int batchRow = tgt.order(r);
        for (int s = 0; s < src.length(batchRow); s++) {
          System.arraycopy(dValues, (r * steps + s) * k, ws.dEncoderOut, src.packedRow(batchRow, s) * k, k);
        }
      }
      dOut = ws.dEncoderOut;
    }
    ws.source.backward(sourceEmbedding, encoder, ws.encoder, dOut, ws.dhN,
        config.cell().hasCellState() ? ws.dcN : null, ws.touchedSource);
  }

  /** dhN, dcN (layers·directions, B, H) batch order from dh0, dc0 and, without attention, the memory. */
  private void finalStateGradient(Workspace ws, int b, SequenceLayout tgt) {
    int h = config.hidden();
    int layers = config.layers();
    int dirs = config.bidirectional() ? 2 : 1;
    boolean lstm = config.cell().hasCellState();
    int size = layers * dirs * b * h;
    ws.dhN = Ops.ensure(ws.dhN, size);
    ws.dcN = Ops.ensure(ws.dcN, size);
    if (!config.bidirectional()) {
      for (int l = 0; l < layers; l++) {
        tgt.toBatchOrder(ws.dh0, l * b * h, ws.dhN, l * b * h, h);
        if (lstm) {
          tgt.toBatchOrder(ws.dc0, l * b * h, ws.dcN, l * b * h, h);
        }
      }
    } else {
      // h0 = tanh(pre): dpre = dh0 · (1 - h0²), then through the bridge to [forward ; reverse].
      int rows = layers * b;
      for (int i = 0; i < rows * h; i++) {
        ws.dh0[i] *= 1f - ws.start.h0[i] * ws.start.h0[i];
      }
      ws.dBridge = Ops.ensure(ws.dBridge, rows * 2 * h);
      bridge.backward(ws.start.bridgeIn, ws.dh0, rows, ws.dBridge);
      scatterBridge(ws.dBridge, ws.dhN, b, tgt);
      if (lstm) {
        bridgeCell.backward(ws.start.cellIn, ws.dc0, rows, ws.dBridge);
        scatterBridge(ws.dBridge, ws.dcN, b, tgt);
      }
    }
    if (config.attention() == Attention.Kind.NONE) {
      float[] dValues = ws.memory.valueGradient();
      int k = config.memorySize();
      for (int r = 0; r < b; r++) {
        int batchRow = tgt.order(r);
        for (int d = 0; d < dirs; d++) {
          int slice = (layers - 1) * dirs + d;
          Ops.add(dValues, r * k + d * h, ws.dhN, (slice * b + batchRow) * h, h);
        }
      }
    }
  }

  private void scatterBridge(float[] dIn, float[] dN, int b, SequenceLayout tgt) {
    int h = config.hidden();
    for (int l = 0; l < config.layers(); l++) {
      for (int r = 0; r < b; r++) {
        int batchRow = tgt.order(r);
        for (int d = 0; d < 2; d++) {
          System.arraycopy(dIn, (l * b + r) * 2 * h + d * h, dN, ((2 * l + d) * b + batchRow) * h, h);
        }
      }
    }
  }
}
