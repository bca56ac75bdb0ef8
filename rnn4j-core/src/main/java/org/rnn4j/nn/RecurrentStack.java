package org.rnn4j.nn;

import org.rnn4j.math.Ops;
import org.rnn4j.random.Rng;

/**
 * A stack of recurrent layers, uni- or bidirectional, equal to PyTorch's {@code nn.RNN},
 * {@code nn.LSTM} and {@code nn.GRU} with {@code batch_first=True} over a packed batch.
 *
 * <p>Layer k > 0 reads the concatenated [forward, reverse] output of layer k-1, with dropout between
 * layers in training only. Parameters are registered as {@code <prefix>weight_ih_l0},
 * {@code <prefix>weight_hh_l0_reverse}, ... in PyTorch's order. States are (layers·directions, B, H)
 * in PyTorch's order (l0 forward, l0 reverse, l1 forward, ...) and batch order.
 *
 * <p>Two levels of API: {@link #forward(Cache, SequenceLayout, float[], float[], float[], boolean, Rng)}
 * works on packed rows (N, I) and is what models use; {@link #forwardPadded} takes a padded
 * batch-first (B, T, I) array like PyTorch does.
 *
 * <p>The file is long because it is one concept: forward and backward through layers and
 * directions, state checks and dropout between layers. The work inside a layer is in
 * {@link RecurrentLayer}.
 */
public final class RecurrentStack {
  private final CellType cell;
  private final int inputSize;
  private final int hidden;
  private final int layers;
  private final int directions;
  private final float dropout;
  private final RecurrentLayer[] forwardLayers;
  private final RecurrentLayer[] reverseLayers;

  /**
   * Registers the parameters in {@code params} under {@code prefix} (e.g. "rnn.").
   *
   * @throws IllegalArgumentException when a size is not positive or dropout is outside [0, 1)
   */
  public RecurrentStack(ParameterSet params, String prefix, CellType cell, int inputSize, int hidden,
                        int layers, boolean bidirectional, float dropout) {
    if (cell == null) {
      throw new IllegalArgumentException("cell must not be null");
    }
    if (inputSize < 1) {
      throw new IllegalArgumentException("inputSize must be >= 1, got " + inputSize);
    }
    if (hidden < 1) {
      throw new IllegalArgumentException("hidden size must be >= 1, got " + hidden);
    }
    if (layers < 1) {
      throw new IllegalArgumentException("layers must be >= 1, got " + layers);
    }
    if (!(dropout >= 0f && dropout < 1f)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    this.cell = cell;
    this.inputSize = inputSize;
    this.hidden = hidden;
    this.layers = layers;
    this.directions = bidirectional ? 2 : 1;
    this.dropout = dropout;
    this.forwardLayers = new RecurrentLayer[layers];
    this.reverseLayers = new RecurrentLayer[layers];
    for (int l = 0; l < layers; l++) {
      int in = l == 0 ? inputSize : directions * hidden;
      forwardLayers[l] = RecurrentLayer.create(cell, params, prefix, "_l" + l, in, hidden);
      if (bidirectional) {
        reverseLayers[l] = RecurrentLayer.create(cell, params, prefix, "_l" + l + "_reverse", in, hidden);
      }
    }
  }

  public CellType cell() {
    return cell;
  }

  public int inputSize() {
    return inputSize;
  }

  public int hiddenSize() {
    return hidden;
  }

  public int layers() {
    return layers;
  }

  public boolean bidirectional() {
    return directions == 2;
  }

  public float dropout() {
    return dropout;
  }

  /** Width of each output row: directions × hidden. */
  public int outputSize() {
    return directions * hidden;
  }

  /** Number of (B, H) state slices: layers × directions. */
  public int stateSlices() {
    return layers * directions;
  }

  /** Per-call activations and scratch; one per thread of use, reused across batches. */
  public static final class Cache {
    SequenceLayout layout;
    boolean dropped;
    boolean projected;
    TokenGroups groups;
    /** The first layer's (U, G·H) scratch when grouped: {@link #ownDistinct} or borrowed. */
    float[] distinct;
    float[] ownDistinct = new float[0];
    int[] reverseIds = new int[0];
    final RecurrentLayer.Cache[] fwd;
    final RecurrentLayer.Cache[] rev;
    final float[][] outputs;
    final float[][] dropouts;
    final float[][] masks;
    final float[][] reverseInputs;
    final float[][] reverseOutputs;
    float[] hN = new float[0];
    float[] cN = new float[0];
    float[] stateIn = new float[0];
    float[] stateIn2 = new float[0];
    float[] stateOut = new float[0];
    float[] stateOut2 = new float[0];
    float[] gradA = new float[0];
    float[] gradB = new float[0];
    float[] zeros = new float[0];
    float[] reverseGrad = new float[0];
    float[] reverseDx = new float[0];
    float[] packed = new float[0];
    float[] packedGrad = new float[0];
    float[] packedDx = new float[0];

    Cache(int layers) {
      fwd = new RecurrentLayer.Cache[layers];
      rev = new RecurrentLayer.Cache[layers];
      for (int l = 0; l < layers; l++) {
        fwd[l] = new RecurrentLayer.Cache();
        rev[l] = new RecurrentLayer.Cache();
      }
      outputs = new float[layers][0];
      dropouts = new float[layers][];
      masks = new float[layers][0];
      reverseInputs = new float[layers][0];
      reverseOutputs = new float[layers][0];
    }

    /** The layout of the last forward call. */
    public SequenceLayout layout() {
      return layout;
    }
  }

  public Cache newCache() {
    return new Cache(layers);
  }

  /**
   * Forward over packed rows.
   *
   * @param x  (N, inputSize) packed input rows
   * @param h0 (layers·directions, B, H) initial hidden states in batch order, or null for zeros
   * @param c0 same for LSTM cell states, or null
   * @param training enables dropout between layers
   * @param rng source of dropout masks (needed only when training with dropout)
   */
  public void forward(Cache c, SequenceLayout layout, float[] x, float[] h0, float[] c0,
                      boolean training, Rng rng) {
    if (x.length < layout.tokens() * inputSize) {
      throw new IllegalArgumentException("x has " + x.length + " values, packed input needs N×I = "
          + layout.tokens() + "×" + inputSize);
    }
    c.groups = null;
    run(c, layout, x, null, null, h0, c0, training, rng);
  }

  /**
   * Forward whose first layer reads the U distinct input rows xu (U', inputSize), U' =
   * {@link TokenGroups#paddedCount} with finite values (zeros) in the rows past U: packed row q is
   * row {@code groups.slots()[q]} of xu, as when an embedding's rows feed the stack. The outputs
   * are the bits {@link #forward} gives on the gathered rows; the first layer's input-side
   * products then cost U' rows instead of N in both passes, and {@link #backward} writes dx as
   * (U', inputSize), each distinct row's gradient summed over the rows that share it.
   */
  public void forwardGrouped(Cache c, SequenceLayout layout, TokenGroups groups, float[] xu,
                             float[] h0, float[] c0, boolean training, Rng rng) {
    if (groups.rows() != layout.tokens()) {
      throw new IllegalArgumentException("groups cover " + groups.rows() + " rows, the layout has "
          + layout.tokens());
    }
    int rows = groups.paddedCount();
    if (xu.length < rows * inputSize) {
      throw new IllegalArgumentException("xu has " + xu.length + " values, needs " + rows + "×" + inputSize
          + " (U = " + groups.count() + " rows, padded to " + rows + ")");
    }
    c.groups = groups;
    int rowsOfGates = layout.tokens() * cell.gates() * hidden;
    int need = rows * cell.gates() * hidden;
    if (layers > 1) {
      // Layer 1's (N, G·H) gate buffer is idle until its forward and again after its backward, which
      // is exactly when layer 0 needs its (U', G·H) scratch: borrowing it adds nothing to the peak.
      c.distinct = c.fwd[1].gates = Ops.ensure(c.fwd[1].gates, Math.max(rowsOfGates, need));
    } else {
      if (c.ownDistinct.length < need) {
        // A quarter more for the next batch's few more ids, but not past N rows: one allocation.
        c.ownDistinct = new float[Math.max(need, Math.min(rowsOfGates, need + need / 4))];
      }
      c.distinct = c.ownDistinct;
    }
    run(c, layout, xu, null, null, h0, c0, training, rng);
  }

  /**
   * Inference forward whose first layer looks its input projection up: ids (N) are the packed
   * rows' token ids and tables the {@link #projectionTables} of the embedding. Bit-identical to
   * {@link #forward} on the embedded rows; the cache cannot be used for backward.
   */
  public void forwardTokens(Cache c, SequenceLayout layout, int[] ids, float[][] tables) {
    if (ids.length < layout.tokens() || tables.length != directions) {
      throw new IllegalArgumentException("need " + layout.tokens() + " ids and " + directions + " tables");
    }
    c.groups = null;
    run(c, layout, null, ids, tables, null, null, false, null);
  }

  /**
   * For each direction of the first layer, the gate pre-activations of every row of the embedding
   * table (V, inputSize): (V, G·H) floats each.
   */
  public float[][] projectionTables(float[] embedding, int offset, int rows) {
    float[][] tables = new float[directions][];
    tables[0] = forwardLayers[0].projectionTable(embedding, offset, rows);
    if (directions == 2) {
      tables[1] = reverseLayers[0].projectionTable(embedding, offset, rows);
    }
    return tables;
  }

  /** Floats that {@link #projectionTables} allocates for a vocabulary of {@code rows}. */
  public long projectionTableSize(int rows) {
    return (long) directions * rows * cell.gates() * hidden;
  }

  private void run(Cache c, SequenceLayout layout, float[] x, int[] ids, float[][] tables, float[] h0,
                   float[] c0, boolean training, Rng rng) {
    int n = layout.tokens();
    int b = layout.batch();
    int dh = outputSize();
    checkState("h0", h0, b);
    checkState("c0", c0, b);
    c.layout = layout;
    c.projected = x == null;
    c.dropped = training && dropout > 0f && layers > 1;
    if (c.dropped && rng == null) {
      throw new IllegalArgumentException("rng must be given when training with dropout");
    }
    int stateSize = stateSlices() * b * hidden;
    c.hN = Ops.ensure(c.hN, stateSize);
    c.cN = Ops.ensure(c.cN, stateSize);
    c.stateIn = Ops.ensure(c.stateIn, b * hidden);
    c.stateIn2 = Ops.ensure(c.stateIn2, b * hidden);
    c.stateOut = Ops.ensure(c.stateOut, b * hidden);
    c.stateOut2 = Ops.ensure(c.stateOut2, b * hidden);
    int[] rev = layout.reverseMap();
    float[] in = x;
    int inDim = inputSize;
    for (int l = 0; l < layers; l++) {
      c.fwd[l].inference = !training;
      c.rev[l].inference = !training;
      float[] out = c.outputs[l] = Ops.ensure(c.outputs[l], n * dh);
      // Both directions are prepared (input projections, states), then their time loops run together;
      // grouped ones one after the other, since they share one projection buffer (c.distinct).
      boolean together = directions == 2 && !(l == 0 && c.groups != null);
      for (int d = 0; d < directions; d++) {
        int slice = (l * directions + d) * b * hidden;
        float[] hs = null;
        float[] cs = null;
        if (h0 != null) {
          layout.toRankOrder(h0, slice, c.stateIn, 0, hidden);
          hs = c.stateIn; // copied by prepare
        }
        if (c0 != null && cell.hasCellState()) {
          layout.toRankOrder(c0, slice, c.stateIn2, 0, hidden);
          cs = c.stateIn2;
        }
        boolean lookUp = l == 0 && in == null;
        boolean grouped = l == 0 && c.groups != null;
        if (d == 0) {
          if (grouped) {
            forwardLayers[l].prepareGrouped(c.fwd[l], layout, in, c.groups, c.distinct, hs, cs, out, 0, dh);
          } else if (lookUp) {
            forwardLayers[l].prepareProjected(c.fwd[l], layout, tables[0], ids, hs, cs, out, 0, dh);
          } else {
            forwardLayers[l].prepare(c.fwd[l], layout, in, 0, inDim, hs, cs, out, 0, dh);
          }
        } else {
          // The reverse direction runs forward over rows gathered in mirrored time.
          float[] hr = c.reverseOutputs[l] = Ops.ensure(c.reverseOutputs[l], n * hidden);
          if (grouped) {
            reverseLayers[l].prepareGrouped(c.rev[l], layout, in, c.groups.reversed(layout), c.distinct,
                hs, cs, hr, 0, hidden);
          } else if (lookUp) {
            int[] idr = c.reverseIds = c.reverseIds.length >= n ? c.reverseIds : new int[n];
            for (int q = 0; q < n; q++) {
              idr[q] = ids[rev[q]];
            }
            reverseLayers[l].prepareProjected(c.rev[l], layout, tables[1], idr, hs, cs, hr, 0, hidden);
          } else {
            float[] xr = c.reverseInputs[l] = Ops.ensure(c.reverseInputs[l], n * inDim);
            for (int q = 0; q < n; q++) {
              System.arraycopy(in, rev[q] * inDim, xr, q * inDim, inDim);
            }
            reverseLayers[l].prepare(c.rev[l], layout, xr, 0, inDim, hs, cs, hr, 0, hidden);
          }
        }
        if (!together) {
          (d == 0 ? forwardLayers[l] : reverseLayers[l]).run(d == 0 ? c.fwd[l] : c.rev[l]);
        }
      }
      if (together) {
        RecurrentLayer.runPair(forwardLayers[l], c.fwd[l], reverseLayers[l], c.rev[l]);
      }
      for (int d = 0; d < directions; d++) {
        int slice = (l * directions + d) * b * hidden;
        if (d == 0) {
          forwardLayers[l].finalState(c.fwd[l], c.stateOut, 0, c.stateOut2, 0);
        } else {
          float[] hr = c.reverseOutputs[l];
          for (int q = 0; q < n; q++) {
            System.arraycopy(hr, q * hidden, out, rev[q] * dh + hidden, hidden);
          }
          reverseLayers[l].finalState(c.rev[l], c.stateOut, 0, c.stateOut2, 0);
        }
        layout.toBatchOrder(c.stateOut, 0, c.hN, slice, hidden);
        if (cell.hasCellState()) {
          layout.toBatchOrder(c.stateOut2, 0, c.cN, slice, hidden);
        }
      }
      in = out;
      inDim = dh;
      if (c.dropped && l < layers - 1) {
        in = applyDropout(c, l, out, n * dh, rng);
      } else {
        c.dropouts[l] = null;
      }
    }
  }

  private float[] applyDropout(Cache c, int l, float[] out, int size, Rng rng) {
    float[] mask = c.masks[l] = Ops.ensure(c.masks[l], size);
    float[] dropped = c.dropouts[l] = Ops.ensure(c.dropouts[l], size);
    float keep = 1f - dropout;
    float scale = 1f / keep;
    for (int i = 0; i < size; i++) {
      float m = rng.nextFloat() < keep ? scale : 0f;
      mask[i] = m;
      dropped[i] = out[i] * m;
    }
    return dropped;
  }

  /** Packed-level calls may pass reused buffers larger than needed; the padded API is exact. */
  private void checkState(String name, float[] s, int b) {
    if (s != null && s.length < stateSlices() * b * hidden) {
      throw stateError(name, s, b);
    }
  }

  private void checkStateExact(String name, float[] s, int b) {
    if (s != null && s.length != stateSlices() * b * hidden) {
      throw stateError(name, s, b);
    }
  }

  private IllegalArgumentException stateError(String name, float[] s, int b) {
    return new IllegalArgumentException(name + " must have layers·directions×B×H = " + stateSlices()
        + "×" + b + "×" + hidden + " = " + stateSlices() * b * hidden + " values, got " + s.length);
  }

  /**
   * Rounds every layer's W_hh, in both directions, to bfloat16 in place ({@link Parameter#roundToBf16}):
   * for inference only, before the first forward that should see it.
   */
  public void roundRecurrentWeightsToBf16() {
    for (int l = 0; l < layers; l++) {
      forwardLayers[l].wHh.roundToBf16();
      if (reverseLayers[l] != null) {
        reverseLayers[l].wHh.roundToBf16();
      }
    }
  }

  /** Top-layer outputs of the last forward: (N, directions·H) packed rows. */
  public float[] output(Cache c) {
    return c.outputs[layers - 1];
  }

  /** Outputs of layer {@code layer} in the last forward: (N, directions·H) packed rows. */
  public float[] layerOutput(Cache c, int layer) {
    return c.outputs[layer];
  }

  /**
   * Gate activations of one layer and direction in the last {@link #forward} (not valid after
   * {@link #forwardTokens} or {@link #forwardGrouped}): a new (N, G·H) array in the packed rows of
   * the input, the reverse direction's rows put back at the positions they read. Gates in PyTorch's
   * order: LSTM i, f, g, o (after sigmoid, tanh); GRU r, z, n (after sigmoid, tanh); plain RNN
   * cells have one "gate", their pre-activation.
   */
  public float[] gateActivations(Cache c, int layer, int direction) {
    if (c.projected || c.groups != null) {
      throw new IllegalStateException("gate activations need a forward over the embedded rows");
    }
    int n = c.layout.tokens();
    int width = cell.gates() * hidden;
    float[] out = new float[n * width];
    if (direction == 0) {
      System.arraycopy(c.fwd[layer].gates, 0, out, 0, n * width);
    } else {
      int[] rev = c.layout.reverseMap();
      for (int q = 0; q < n; q++) {
        System.arraycopy(c.rev[layer].gates, q * width, out, rev[q] * width, width);
      }
    }
    return out;
  }

  /** Final hidden states of the last forward: (layers·directions, B, H), batch order. */
  public float[] finalHidden(Cache c) {
    return c.hN;
  }

  /** Final LSTM cell states of the last forward: (layers·directions, B, H), batch order. */
  public float[] finalCell(Cache c) {
    return c.cN;
  }

  /**
   * Backpropagates the last forward of this cache. Accumulates parameter gradients.
   *
   * @param dOut (N, directions·H) gradient of the top-layer outputs, or null
   * @param dhN  (layers·directions, B, H) gradient of the final hidden states, or null
   * @param dcN  same for LSTM cell states, or null
   * @param dx   receives (N, inputSize) input gradients, or (U, inputSize) after
   *             {@link #forwardGrouped}; null when not needed
   * @param dh0  receives initial hidden state gradients (like h0), or null
   * @param dc0  receives initial cell state gradients, or null
   */
  public void backward(Cache c, float[] dOut, float[] dhN, float[] dcN, float[] dx,
                       float[] dh0, float[] dc0) {
    if (c.projected) {
      throw new IllegalStateException("backward after forwardTokens, which is inference-only");
    }
    SequenceLayout layout = c.layout;
    int n = layout.tokens();
    int b = layout.batch();
    int dh = outputSize();
    checkState("dhN", dhN, b);
    checkState("dcN", dcN, b);
    checkState("dh0", dh0, b);
    checkState("dc0", dc0, b);
    int[] rev = layout.reverseMap();
    float[] dCur = dOut;
    int ldCur = dh;
    if (dCur == null) {
      // One row of zeros read with leading dimension 0 stands for the top layer's (N, D·H) zeros.
      c.zeros = Ops.ensure(c.zeros, dh);
      java.util.Arrays.fill(c.zeros, 0, dh, 0f);
      dCur = c.zeros;
      ldCur = 0;
    }
    for (int l = layers - 1; l >= 0; l--) {
      int inDim = l == 0 ? inputSize : dh;
      float[] dIn;
      if (l > 0) {
        boolean useA = dCur != c.gradA;
        if (useA) {
          c.gradA = Ops.ensure(c.gradA, n * dh);
          dIn = c.gradA;
        } else {
          c.gradB = Ops.ensure(c.gradB, n * dh);
          dIn = c.gradB;
        }
      } else {
        dIn = dx;
      }
      for (int d = 0; d < directions; d++) {
        int slice = (l * directions + d) * b * hidden;
        float[] dhs = null;
        float[] dcs = null;
        if (dhN != null) {
          layout.toRankOrder(dhN, slice, c.stateIn, 0, hidden);
          dhs = c.stateIn;
        }
        if (dcN != null && cell.hasCellState()) {
          layout.toRankOrder(dcN, slice, c.stateIn2, 0, hidden);
          dcs = c.stateIn2;
        }
        float[] g0 = dh0 != null ? c.stateOut : null;
        float[] gc0 = dc0 != null && cell.hasCellState() ? c.stateOut2 : null;
        if (d == 0) {
          forwardLayers[l].backward(c.fwd[l], dCur, 0, ldCur, dhs, dcs, dIn, 0, inDim, false, g0, gc0);
        } else {
          float[] dr = dCur;
          int ldr = 0;
          if (ldCur != 0) {
            dr = c.reverseGrad = Ops.ensure(c.reverseGrad, n * hidden);
            ldr = hidden;
            for (int q = 0; q < n; q++) {
              System.arraycopy(dCur, rev[q] * ldCur + hidden, dr, q * hidden, hidden);
            }
          }
          if (l == 0 && c.groups != null) {
            // Distinct rows have no time order to mirror: add straight into the forward's (U, I).
            reverseLayers[l].backward(c.rev[l], dr, 0, ldr, dhs, dcs, dIn, 0, inDim, true, g0, gc0);
          } else {
            float[] dxr = null;
            if (dIn != null) {
              dxr = c.reverseDx = Ops.ensure(c.reverseDx, n * inDim);
            }
            reverseLayers[l].backward(c.rev[l], dr, 0, ldr, dhs, dcs, dxr, 0, inDim, false, g0, gc0);
            if (dIn != null) {
              for (int q = 0; q < n; q++) {
                Ops.add(dxr, q * inDim, dIn, rev[q] * inDim, inDim);
              }
            }
          }
        }
        if (g0 != null) {
          layout.toBatchOrder(g0, 0, dh0, slice, hidden);
        }
        if (gc0 != null) {
          layout.toBatchOrder(gc0, 0, dc0, slice, hidden);
        }
      }
      if (l > 0 && c.dropouts[l - 1] != null) {
        float[] mask = c.masks[l - 1];
        for (int i = 0, size = n * dh; i < size; i++) {
          dIn[i] *= mask[i];
        }
      }
      dCur = dIn;
      ldCur = dh;
    }
    if (dc0 != null && !cell.hasCellState()) {
      java.util.Arrays.fill(dc0, 0f);
    }
  }

  /** Result of {@link #forwardPadded}: arrays owned by the caller. */
  public static final class Output {
    /** (B, T, directions·H) with zeros at padded steps. */
    public final float[] output;
    /** (layers·directions, B, H). */
    public final float[] hN;
    /** (layers·directions, B, H); zeros for cells without a cell state. */
    public final float[] cN;

    Output(float[] output, float[] hN, float[] cN) {
      this.output = output;
      this.hN = hN;
      this.cN = cN;
    }
  }

  /**
   * Forward over a padded batch-first (B, T, I) array, like PyTorch with pack_padded_sequence.
   * Values at padded steps are never read.
   *
   * @throws IllegalArgumentException on a shape mismatch, a length outside 1..T, or a NaN or
   *     infinite value in x, h0 or c0
   */
  public Output forwardPadded(Cache c, float[] x, int[] lengths, int paddedLength, float[] h0,
                              float[] c0, boolean training, Rng rng) {
    SequenceLayout layout = SequenceLayout.of(lengths, paddedLength);
    int b = layout.batch();
    if (x == null || x.length != b * paddedLength * inputSize) {
      throw new IllegalArgumentException("x must have B×T×I = " + b + "×" + paddedLength + "×"
          + inputSize + " values, got " + (x == null ? "null" : x.length));
    }
    checkStateExact("h0", h0, b);
    checkStateExact("c0", c0, b);
    c.packed = Ops.ensure(c.packed, layout.tokens() * inputSize);
    layout.pack(x, inputSize, c.packed);
    int bad = Ops.firstNonFinite(c.packed, 0, layout.tokens() * inputSize);
    if (bad >= 0) {
      int[] bt = layout.locate(bad / inputSize);
      throw new IllegalArgumentException("x holds a non-finite value " + c.packed[bad] + " at batch "
          + bt[0] + ", step " + bt[1] + ", feature " + bad % inputSize);
    }
    if (h0 != null) {
      checkFinite("h0", h0, h0.length);
    }
    if (c0 != null) {
      checkFinite("c0", c0, c0.length);
    }
    forward(c, layout, c.packed, h0, c0, training, rng);
    float[] out = new float[b * paddedLength * outputSize()];
    layout.unpack(output(c), outputSize(), out);
    int s = stateSlices() * b * hidden;
    float[] cn = new float[s];
    if (cell.hasCellState()) {
      System.arraycopy(c.cN, 0, cn, 0, s);
    }
    return new Output(out, java.util.Arrays.copyOf(c.hN, s), cn);
  }

  /**
   * Backward for {@link #forwardPadded}. dOutput is (B, T, directions·H) (padded steps ignored) or
   * null; returns dx as (B, T, I) with zeros at padded steps.
   */
  public float[] backwardPadded(Cache c, float[] dOutput, float[] dhN, float[] dcN,
                                float[] dh0, float[] dc0) {
    SequenceLayout layout = c.layout;
    int n = layout.tokens();
    checkStateExact("dhN", dhN, layout.batch());
    checkStateExact("dcN", dcN, layout.batch());
    checkStateExact("dh0", dh0, layout.batch());
    checkStateExact("dc0", dc0, layout.batch());
    float[] dOut = null;
    if (dOutput != null) {
      int expected = layout.batch() * layout.paddedLength() * outputSize();
      if (dOutput.length != expected) {
        throw new IllegalArgumentException("dOutput must have " + expected + " values, got "
            + dOutput.length);
      }
      c.packedGrad = Ops.ensure(c.packedGrad, n * outputSize());
      layout.pack(dOutput, outputSize(), c.packedGrad);
      dOut = c.packedGrad;
    }
    c.packedDx = Ops.ensure(c.packedDx, n * inputSize);
    backward(c, dOut, dhN, dcN, c.packedDx, dh0, dc0);
    float[] dx = new float[layout.batch() * layout.paddedLength() * inputSize];
    layout.unpack(c.packedDx, inputSize, dx);
    return dx;
  }

  private static void checkFinite(String name, float[] a, int n) {
    int i = Ops.firstNonFinite(a, 0, n);
    if (i >= 0) {
      throw new IllegalArgumentException(name + " holds a non-finite value " + a[i] + " at index " + i);
    }
  }
}
