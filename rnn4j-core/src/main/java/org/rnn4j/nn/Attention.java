package org.rnn4j.nn;

import java.util.Arrays;
import java.util.Locale;
import org.rnn4j.math.Activations;
import org.rnn4j.math.Blas;
import org.rnn4j.math.Ops;
import org.rnn4j.random.TorchGenerator;

/**
 * Attention of a decoder's query over a batch of encoder outputs (the memory), one decoder step at a
 * time, with padding masked: a position past a sequence's length gets exactly zero weight.
 *
 * <p>Scores, with q the query (the decoder's previous top hidden state, H) and m_s the memory at
 * source position s (K):
 * <ul>
 *   <li>{@code additive} (Bahdanau): v · tanh(W_q q + b_q + W_k m_s + b_k) + b_v, parameters
 *       {@code attn_q}, {@code attn_k}, {@code attn_v} as {@code ../shared/bench/torch_seq2seq.py} names them;</li>
 *   <li>{@code dot} (Luong): q · m_s, which needs K = H;</li>
 *   <li>{@code general} (Luong): q · W m_s, parameter {@code attn_w.weight} (H, K), no bias (a bias
 *       would add the same q·b to every score, which the softmax ignores);</li>
 *   <li>{@code none}: no scores; the memory is one position per sequence (the encoder's final
 *       state) and the context is that position, so the plain encoder-decoder runs through the
 *       same code with a weight of exactly 1.</li>
 * </ul>
 * Weights are the softmax of the scores over the unpadded positions; the context is Σ_s w_s m_s.
 * The memory's keys (W_k m_s + b_k, W m_s or m_s) are computed once per batch, not per step.
 *
 * <p>Buffers: memory values (B, S, K) and keys (B, S, H); per decoder row (N rows over all steps)
 * the query (N, H), the weights (N, S) and for {@code additive} tanh(...) (N, S, H), kept for
 * backward. A row reads the memory of sequence {@code memoryRow[r]}, so beam hypotheses share
 * their sentence's memory.
 */
public final class Attention {
  /** How a query scores a memory position. */
  public enum Kind {
    ADDITIVE, DOT, GENERAL, NONE;

    /** The name in config files and on the command line: lower case. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException listing the kinds when the name is none of them */
    public static Kind parse(String s) {
      for (Kind k : values()) {
        if (k.id().equals(s)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown attention '" + s + "' (one of additive, dot, general, none)");
    }
  }

  private final Kind kind;
  private final int hidden;
  private final int memorySize;
  private final Linear query;
  private final Linear key;
  private final Linear score;
  private final Parameter general;

  /**
   * @param hidden     query size H (the decoder's hidden size)
   * @param memorySize K, the size of an encoder output (directions · encoder hidden)
   */
  public Attention(ParameterSet params, Kind kind, int hidden, int memorySize) {
    if (kind == Kind.DOT && hidden != memorySize) {
      throw new IllegalArgumentException("dot attention needs the decoder's hidden size (" + hidden
          + ") to equal the encoder output size (" + memorySize + ")");
    }
    this.kind = kind;
    this.hidden = hidden;
    this.memorySize = memorySize;
    this.query = kind == Kind.ADDITIVE ? new Linear(params, "attn_q", hidden, hidden) : null;
    this.key = kind == Kind.ADDITIVE ? new Linear(params, "attn_k", memorySize, hidden) : null;
    this.score = kind == Kind.ADDITIVE ? new Linear(params, "attn_v", hidden, 1) : null;
    this.general = kind == Kind.GENERAL ? params.add("attn_w.weight", hidden, memorySize) : null;
  }

  public Kind kind() {
    return kind;
  }

  /** K: the size of a memory position and of the context. */
  public int contextSize() {
    return memorySize;
  }

  /** PyTorch's initialisation in module order: attn_q, attn_k, attn_v, or attn_w as nn.Linear's weight. */
  public void initialize(TorchGenerator g) {
    if (kind == Kind.ADDITIVE) {
      query.initialize(g);
      key.initialize(g);
      score.initialize(g);
    } else if (kind == Kind.GENERAL) {
      double bound = Math.sqrt(3.0) * (Math.sqrt(2.0 / 6) / Math.sqrt(memorySize));
      Init.uniform(general, -bound, bound, g);
    }
  }

  /** The encoder outputs of one batch: values (B, S, K), zero past each length, and their keys. */
  public static final class Memory {
    int batch;
    int steps;
    int[] lengths = new int[0];
    float[] values = new float[0];
    float[] keys = new float[0];
    float[] dValues = new float[0];
    float[] dKeys = new float[0];

    /**
     * Sizes the memory for B sequences of at most S positions and returns the values buffer (B, S,
     * K), zeroed, for the caller to fill; lengths (B) are copied.
     */
    public float[] reset(int batch, int steps, int[] lengths, int memorySize) {
      this.batch = batch;
      this.steps = steps;
      this.lengths = Arrays.copyOf(lengths, batch);
      for (int b = 0; b < batch; b++) {
        if (lengths[b] < 1 || lengths[b] > steps) {
          throw new IllegalArgumentException("memory length " + lengths[b] + " of row " + b + " is outside 1.." + steps);
        }
      }
      int size = batch * steps * memorySize;
      values = Ops.ensure(values, size);
      Arrays.fill(values, 0, size, 0f);
      return values;
    }

    public int batch() {
      return batch;
    }

    public int steps() {
      return steps;
    }

    public int length(int b) {
      return lengths[b];
    }

    /** Gradient (B, S, K) of the values after {@link Attention#finishBackward}. */
    public float[] valueGradient() {
      return dValues;
    }
  }

  /** Computes the keys of a filled memory; call once per batch before the steps. */
  public void prepare(Memory m) {
    int rows = m.batch * m.steps;
    switch (kind) {
      case ADDITIVE:
        m.keys = Ops.ensure(m.keys, rows * hidden);
        key.forward(m.values, rows, m.keys);
        break;
      case GENERAL:
        m.keys = Ops.ensure(m.keys, rows * hidden);
        Blas.gemm(rows, m.values, 0, memorySize, general.packedTransposed(), 0f, m.keys, 0, hidden);
        break;
      default:
        m.keys = m.values; // dot scores the values themselves; none never scores
    }
  }

  /** Per-row activations of the decoder steps, kept for backward; one per thread. */
  public static final class Cache {
    /** Whether the tanh of every row is kept for backward; decoding keeps only the row being scored. */
    final boolean forBackward;
    int steps;
    float[] queries = new float[0];
    float[] projected = new float[0];
    float[] tanh = new float[0];
    float[] weights = new float[0];
    float[] dQuery = new float[0];
    float[] dScores = new float[0];

    Cache(boolean forBackward) {
      this.forBackward = forBackward;
    }

    /** Attention weights (rows, S) of the rows run so far, S = the memory's steps. */
    public float[] weights() {
      return weights;
    }
  }

  public Cache newCache() {
    return new Cache(true);
  }

  /**
   * A cache for decoding, which never runs backward: each call scores its rows in the tanh slot of
   * its first row, which stays in cache, instead of writing rows × S × H values per step to memory.
   */
  public Cache newInferenceCache() {
    return new Cache(false);
  }

  /** Sizes the cache for N decoder rows over a memory; call once per batch before the steps. */
  public void begin(Cache c, Memory m, int rows) {
    c.steps = m.steps;
    c.queries = Ops.ensure(c.queries, rows * hidden);
    c.weights = Ops.ensure(c.weights, rows * m.steps);
    if (kind == Kind.ADDITIVE) {
      c.projected = Ops.ensure(c.projected, rows * hidden);
      c.tanh = Ops.ensure(c.tanh, rows * m.steps * hidden);
    }
  }

  /**
   * One decoder step for rows [row0, row0 + rows) of the cache: queries h (rows, H, leading
   * dimension ldh) → context (rows, K, leading dimension ldc); row r reads the memory of sequence
   * memoryRow[rank0 + r]. On the calling thread when inRegion: threads that split a step's rows
   * call it for their own.
   */
  public void forward(Cache c, Memory m, int row0, int rows, int[] memoryRow, int rank0, float[] h, int hOff,
                      int ldh, float[] context, int cOff, int ldc, boolean inRegion) {
    int s0 = m.steps;
    for (int r = 0; r < rows; r++) {
      System.arraycopy(h, hOff + r * ldh, c.queries, (row0 + r) * hidden, hidden);
    }
    if (kind == Kind.ADDITIVE) {
      gemm(inRegion, rows, c.queries, row0 * hidden, hidden, query.weight().packedTransposed(), 0f, c.projected,
          row0 * hidden, hidden);
      Ops.addToRows(c.projected, row0 * hidden, rows, hidden, hidden, query.bias().data(), query.bias().offset());
    }
    for (int r = 0; r < rows; r++) {
      int row = row0 + r;
      int b = memoryRow[rank0 + r];
      int len = m.lengths[b];
      int w0 = row * s0;
      // Decoding reuses the slot of the call's first row: the only one of its rows' tanh still in cache.
      scores(c, m, row, c.forBackward ? row : row0, b, len, c.weights, w0);
      softmax(c.weights, w0, len);
      Arrays.fill(c.weights, w0 + len, w0 + s0, 0f);
      int co = cOff + r * ldc;
      int v0 = b * s0 * memorySize;
      // context_j = one fma chain over s ascending, advanced for all j at once.
      Arrays.fill(context, co, co + memorySize, 0f);
      for (int s = 0; s < len; s++) {
        Ops.axpy(c.weights[w0 + s], m.values, v0 + s * memorySize, context, co, memorySize);
      }
    }
  }

  /** Scores of one row; its tanh values go to row tanhRow of the cache's tanh. */
  private void scores(Cache c, Memory m, int row, int tanhRow, int b, int len, float[] e, int eo) {
    int s0 = m.steps;
    switch (kind) {
      case ADDITIVE: {
        float[] v = score.weight().data();
        int vo = score.weight().offset();
        float bias = score.bias().data()[score.bias().offset()];
        for (int s = 0; s < len; s++) {
          int u0 = (tanhRow * s0 + s) * hidden;
          Ops.sum(c.projected, row * hidden, m.keys, (b * s0 + s) * hidden, c.tanh, u0, hidden);
          Activations.tanh(c.tanh, u0, c.tanh, u0, hidden);
        }
        Ops.dotRows(v, vo, c.tanh, tanhRow * s0 * hidden, hidden, len, hidden, e, eo);
        for (int s = 0; s < len; s++) {
          e[eo + s] += bias;
        }
        if (c.forBackward) {
          // Padded positions: zeros, which finishBackward's product over all positions reads.
          Arrays.fill(c.tanh, (row * s0 + len) * hidden, (row + 1) * s0 * hidden, 0f);
        }
        break;
      }
      case DOT:
      case GENERAL:
        Ops.dotRows(c.queries, row * hidden, m.keys, b * s0 * hidden, hidden, len, hidden, e, eo);
        break;
      default:
        Arrays.fill(e, eo, eo + len, 0f);
    }
  }

  /** In-place softmax of e[eo..eo+len) (float, max subtracted, sum in double). */
  private static void softmax(float[] e, int eo, int len) {
    float max = Float.NEGATIVE_INFINITY;
    for (int s = 0; s < len; s++) {
      max = Math.max(max, e[eo + s]);
    }
    double sum = 0;
    for (int s = 0; s < len; s++) {
      float x = (float) Math.exp(e[eo + s] - max);
      e[eo + s] = x;
      sum += x;
    }
    float inv = (float) (1 / sum);
    for (int s = 0; s < len; s++) {
      e[eo + s] *= inv;
    }
  }

  /**
   * Starts backward over a memory: its value and key gradients are zeroed; dQuery for N rows.
   */
  public void beginBackward(Cache c, Memory m, int rows) {
    int size = m.batch * m.steps;
    m.dValues = Ops.ensure(m.dValues, size * memorySize);
    Arrays.fill(m.dValues, 0, size * memorySize, 0f);
    if (kind != Kind.NONE && kind != Kind.DOT) {
      m.dKeys = Ops.ensure(m.dKeys, size * hidden);
      Arrays.fill(m.dKeys, 0, size * hidden, 0f);
    } else {
      m.dKeys = m.dValues; // dot: the keys are the values
    }
    c.dQuery = Ops.ensure(c.dQuery, rows * hidden);
    c.dScores = Ops.ensure(c.dScores, rows * m.steps);
    Arrays.fill(c.dScores, 0, rows * m.steps, 0f);
  }

  /**
   * One step backward for rows [row0, row0 + rows): dContext (rows, K, leading dimension ldd) in;
   * adds the query gradient into dh (rows, H, leading dimension lddh) and the memory's gradients
   * into the memory. Row r's memory, rank0 and inRegion are as in the matching {@link #forward}.
   * Parameter gradients of the query projection wait for {@link #finishBackward}.
   */
  public void backward(Cache c, Memory m, int row0, int rows, int[] memoryRow, int rank0, float[] dContext,
                       int dOff, int ldd, float[] dh, int dhOff, int lddh, boolean inRegion) {
    int s0 = m.steps;
    for (int r = 0; r < rows; r++) {
      int row = row0 + r;
      int b = memoryRow[rank0 + r];
      int len = m.lengths[b];
      int w0 = row * s0;
      int d0 = dOff + r * ldd;
      int v0 = b * s0 * memorySize;
      float[] de = c.dScores;
      // dw_s = dContext · m_s; dm_s += w_s dContext.
      double dot = 0;
      for (int s = 0; s < len; s++) {
        float sum = 0f;
        float w = c.weights[w0 + s];
        int vs = v0 + s * memorySize;
        for (int j = 0; j < memorySize; j++) {
          sum = Math.fma(dContext[d0 + j], m.values[vs + j], sum);
          m.dValues[vs + j] = Math.fma(w, dContext[d0 + j], m.dValues[vs + j]);
        }
        de[w0 + s] = sum;
        dot += (double) w * sum;
      }
      // Softmax backward: de_s = w_s (dw_s - Σ w dw), kept per row for the score parameters' gradients.
      for (int s = 0; s < len; s++) {
        de[w0 + s] = c.weights[w0 + s] * (de[w0 + s] - (float) dot);
      }
      scoreBackward(c, m, row, b, len, de, w0, dh, dhOff + r * lddh);
    }
    if (kind == Kind.ADDITIVE) {
      gemm(inRegion, rows, c.dQuery, row0 * hidden, hidden, query.weight().packed(), 1f, dh, dhOff, lddh);
    }
  }

  private void scoreBackward(Cache c, Memory m, int row, int b, int len, float[] de, int eo, float[] dh, int dho) {
    int s0 = m.steps;
    switch (kind) {
      case ADDITIVE: {
        float[] v = score.weight().data();
        int vo = score.weight().offset();
        int q0 = row * hidden;
        Arrays.fill(c.dQuery, q0, q0 + hidden, 0f);
        for (int s = 0; s < len; s++) {
          int u0 = (row * s0 + s) * hidden;
          int k0 = (b * s0 + s) * hidden;
          float e = de[eo + s];
          for (int j = 0; j < hidden; j++) {
            float u = c.tanh[u0 + j];
            float pre = e * v[vo + j] * (1f - u * u);
            c.dQuery[q0 + j] += pre;
            m.dKeys[k0 + j] += pre;
          }
        }
        break;
      }
      case DOT:
      case GENERAL:
        for (int s = 0; s < len; s++) {
          int k0 = (b * s0 + s) * hidden;
          float e = de[eo + s];
          for (int j = 0; j < hidden; j++) {
            dh[dho + j] = Math.fma(e, m.keys[k0 + j], dh[dho + j]);
            m.dKeys[k0 + j] = Math.fma(e, c.queries[row * hidden + j], m.dKeys[k0 + j]);
          }
        }
        break;
      default:
        break; // one position of weight 1: the context's gradient went to the value
    }
  }

  private static void gemm(boolean inRegion, int m, float[] a, int aOff, int lda, org.rnn4j.math.PackedMatrix b,
                           float beta, float[] c, int cOff, int ldc) {
    if (inRegion) {
      Blas.gemmSerial(m, a, aOff, lda, b, beta, c, cOff, ldc);
    } else {
      Blas.gemm(m, a, aOff, lda, b, beta, c, cOff, ldc);
    }
  }

  /**
   * Ends backward over N decoder rows: the query projection's gradients from all rows at once, and
   * the keys' gradients into the key parameters and the memory's value gradient.
   */
  public void finishBackward(Cache c, Memory m, int rows) {
    int size = m.batch * m.steps;
    if (kind == Kind.ADDITIVE) {
      // v and b_v: Σ over rows and positions of de·tanh(...) and de, one product in row order.
      // Padded positions have de = 0 and tanh entries 0.
      Blas.gemm(false, false, 1, hidden, rows * m.steps, c.dScores, 0, rows * m.steps, c.tanh, 0, hidden, 1f,
          score.weight().grad(), score.weight().offset(), hidden);
      score.bias().grad()[score.bias().offset()] += (float) Ops.sum(c.dScores, 0, rows * m.steps);
      query.backward(c.queries, c.dQuery, rows, null);
      Blas.gemm(true, false, hidden, memorySize, size, m.dKeys, 0, hidden, m.values, 0, memorySize, 1f,
          key.weight().grad(), key.weight().offset(), memorySize);
      Ops.addColumnSums(m.dKeys, 0, size, hidden, hidden, key.bias().grad(), key.bias().offset());
      Blas.gemm(size, m.dKeys, 0, hidden, key.weight().packed(), 1f, m.dValues, 0, memorySize);
    } else if (kind == Kind.GENERAL) {
      Blas.gemm(true, false, hidden, memorySize, size, m.dKeys, 0, hidden, m.values, 0, memorySize, 1f,
          general.grad(), general.offset(), memorySize);
      Blas.gemm(size, m.dKeys, 0, hidden, general.packed(), 1f, m.dValues, 0, memorySize);
    }
  }
}
