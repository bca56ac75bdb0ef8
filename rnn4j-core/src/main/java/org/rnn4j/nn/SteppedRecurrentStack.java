package org.rnn4j.nn;

import java.util.Arrays;
import org.rnn4j.math.Ops;
import org.rnn4j.random.Rng;

/**
 * A unidirectional recurrent stack advanced one time step at a time, for a network whose input at
 * step t depends on its own output at step t - 1 (an attention decoder: the context of step t
 * comes from the hidden state of step t - 1). Parameter names are {@link RecurrentStack}'s and
 * PyTorch's ({@code <prefix>weight_ih_l0}, ...), and each step runs the same kernels on the same
 * rows as {@link RecurrentStack#forward} would, so stepping and whole-sequence runs agree bit for
 * bit.
 *
 * <p>Teacher-forced training: {@link #begin}, then for each step t the caller writes step t's rows
 * of {@link #input} and calls {@link #step}; backward mirrors it with {@link #beginBackward},
 * {@link #stepBackward} from the last step down, and {@link #finishBackward}, which forms the
 * weight gradients as one product over all N rows. Decoding calls {@link #inferStep}, whose states
 * the caller may reorder between steps (beam search).
 *
 * <p>Buffers, packed rows of a {@link SequenceLayout} (N rows, B sequences in rank order):
 * <pre>
 *   input      (N, I)  first layer's inputs, written by the caller step by step
 *   output[l]  (N, H)  outputs of layer l
 *   h0, c0     (layers, B, H) initial states, rank order
 * </pre>
 * Dropout, when training, applies to the outputs of every layer but the last, as in PyTorch.
 */
public final class SteppedRecurrentStack {
  private final CellType cell;
  private final int inputSize;
  private final int hidden;
  private final int layers;
  private final float dropout;
  private final RecurrentLayer[] stack;

  /**
   * Registers the parameters under {@code prefix} (e.g. "decoder.").
   *
   * @throws IllegalArgumentException when a size is not positive or dropout is outside [0, 1)
   */
  public SteppedRecurrentStack(ParameterSet params, String prefix, CellType cell, int inputSize, int hidden,
                               int layers, float dropout) {
    if (cell == null || inputSize < 1 || hidden < 1 || layers < 1) {
      throw new IllegalArgumentException("stepped stack needs a cell and sizes >= 1, got cell=" + cell
          + " input=" + inputSize + " hidden=" + hidden + " layers=" + layers);
    }
    if (!(dropout >= 0f && dropout < 1f)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    this.cell = cell;
    this.inputSize = inputSize;
    this.hidden = hidden;
    this.layers = layers;
    this.dropout = dropout;
    this.stack = new RecurrentLayer[layers];
    for (int l = 0; l < layers; l++) {
      stack[l] = RecurrentLayer.create(cell, params, prefix, "_l" + l, l == 0 ? inputSize : hidden, hidden);
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

  /** Activations and scratch of one run; one per thread, reused across batches. */
  public static final class Cache {
    SequenceLayout layout;
    final RecurrentLayer.Cache[] k;
    float[] input = new float[0];
    final float[][] outputs;
    final float[][] dropped;
    final float[][] masks;
    final float[][] dOut;
    float[] dInput = new float[0];
    float[] state = new float[0];
    float[] state2 = new float[0];
    boolean dropping;
    SequenceLayout stepLayout;

    Cache(int layers) {
      k = new RecurrentLayer.Cache[layers];
      outputs = new float[layers][0];
      dropped = new float[layers][0];
      masks = new float[layers][0];
      dOut = new float[layers][0];
      for (int l = 0; l < layers; l++) {
        k[l] = new RecurrentLayer.Cache();
      }
    }

    public SequenceLayout layout() {
      return layout;
    }
  }

  public Cache newCache() {
    return new Cache(layers);
  }

  /**
   * Starts a teacher-forced run over the layout with initial states h0, c0 (layers, B, H) in rank
   * order (c0 only for LSTM; null there means zeros).
   */
  public void begin(Cache c, SequenceLayout layout, float[] h0, float[] c0, boolean training, Rng rng) {
    int n = layout.tokens();
    int b = layout.batch();
    if (h0 == null || h0.length < layers * b * hidden) {
      throw new IllegalArgumentException("h0 must have layers×B×H = " + layers + "×" + b + "×" + hidden
          + " values");
    }
    c.layout = layout;
    c.dropping = training && dropout > 0f && layers > 1;
    if (c.dropping && rng == null) {
      throw new IllegalArgumentException("rng must be given when training with dropout");
    }
    c.input = Ops.ensure(c.input, n * inputSize);
    c.state = Ops.ensure(c.state, b * hidden);
    c.state2 = Ops.ensure(c.state2, b * hidden);
    for (int l = 0; l < layers; l++) {
      c.outputs[l] = Ops.ensure(c.outputs[l], n * hidden);
      float[] x = c.input;
      int ldx = inputSize;
      if (l > 0) {
        x = c.dropping ? (c.dropped[l - 1] = Ops.ensure(c.dropped[l - 1], n * hidden)) : c.outputs[l - 1];
        ldx = hidden;
      }
      if (c.dropping && l < layers - 1) {
        // Drawn here, in row order, so that the masks do not depend on how threads split the steps.
        float[] mask = c.masks[l] = Ops.ensure(c.masks[l], n * hidden);
        float keep = 1f - dropout;
        float scale = 1f / keep;
        for (int i = 0; i < n * hidden; i++) {
          mask[i] = rng.nextFloat() < keep ? scale : 0f;
        }
      }
      System.arraycopy(h0, l * b * hidden, c.state, 0, b * hidden);
      float[] cs = null;
      if (cell.hasCellState()) {
        cs = c.state2;
        if (c0 == null) {
          Arrays.fill(cs, 0, b * hidden, 0f);
        } else {
          System.arraycopy(c0, l * b * hidden, cs, 0, b * hidden);
        }
      }
      stack[l].beginSteps(c.k[l], layout, x, ldx, c.state, cs, c.outputs[l], 0, hidden);
    }
  }

  /** The first layer's input rows (N, I): the caller writes step t's rows before {@link #step}. */
  public float[] input(Cache c) {
    return c.input;
  }

  /**
   * Runs step t through every layer for ranks [r0, r1) (clipped to the step's batch). Threads that
   * split the ranks each run every step on their own rows (inRegion: their products stay on the
   * calling thread), with no barrier between steps; the rows and their bits are the same.
   */
  public void step(Cache c, int t, int r0, int r1, boolean inRegion) {
    SequenceLayout layout = c.layout;
    int hi = Math.min(r1, layout.batchSize(t));
    if (r0 >= hi) {
      return;
    }
    int from = (layout.stepOffset(t) + r0) * hidden;
    int to = (layout.stepOffset(t) + hi) * hidden;
    for (int l = 0; l < layers; l++) {
      stack[l].stepForward(c.k[l], t, r0, hi, inRegion);
      if (c.dropping && l < layers - 1) {
        float[] mask = c.masks[l];
        float[] out = c.outputs[l];
        float[] dropped = c.dropped[l];
        for (int i = from; i < to; i++) {
          dropped[i] = out[i] * mask[i];
        }
      }
    }
  }

  /** Top-layer outputs (N, H) of the run. */
  public float[] output(Cache c) {
    return c.outputs[layers - 1];
  }

  /** Outputs (N, H) of layer {@code layer}. */
  public float[] layerOutput(Cache c, int layer) {
    return c.outputs[layer];
  }

  /**
   * Starts backward. The caller then writes the gradient of the top-layer outputs into all N rows of
   * {@link #outputGradient}, and may add to step t - 1's rows while running step t.
   */
  public void beginBackward(Cache c) {
    int n = c.layout.tokens();
    for (int l = 0; l < layers; l++) {
      c.dOut[l] = Ops.ensure(c.dOut[l], n * hidden);
      stack[l].beginBackwardSteps(c.k[l]);
    }
    c.dInput = Ops.ensure(c.dInput, n * inputSize);
  }

  /** Gradient (N, H) of the top-layer outputs, filled by the caller. */
  public float[] outputGradient(Cache c) {
    return c.dOut[layers - 1];
  }

  /**
   * Step t backward through every layer for ranks [r0, r1), as {@link #step} splits them, writing
   * those rows of {@link #inputGradient}.
   */
  public void stepBackward(Cache c, int t, int r0, int r1, boolean inRegion) {
    SequenceLayout layout = c.layout;
    int hi = Math.min(r1, layout.batchSize(t));
    if (r0 >= hi) {
      return;
    }
    int from = (layout.stepOffset(t) + r0) * hidden;
    int to = (layout.stepOffset(t) + hi) * hidden;
    for (int l = layers - 1; l >= 0; l--) {
      float[] dx = l == 0 ? c.dInput : c.dOut[l - 1];
      stack[l].stepBackward(c.k[l], t, r0, hi, c.dOut[l], 0, hidden, dx, 0, l == 0 ? inputSize : hidden, inRegion);
      if (l > 0 && c.dropping) {
        float[] mask = c.masks[l - 1];
        for (int i = from; i < to; i++) {
          dx[i] *= mask[i];
        }
      }
    }
  }

  /** Gradient (N, I) of the first layer's inputs; step t's rows are valid after {@link #stepBackward}(t). */
  public float[] inputGradient(Cache c) {
    return c.dInput;
  }

  /**
   * Ends backward: writes dh0 (and dc0 for LSTM, when not null) as (layers, B, H) rank order and
   * accumulates every parameter gradient.
   */
  public void finishBackward(Cache c, float[] dh0, float[] dc0) {
    int b = c.layout.batch();
    for (int l = 0; l < layers; l++) {
      stack[l].finishBackwardSteps(c.k[l], c.state, c.state2);
      System.arraycopy(c.state, 0, dh0, l * b * hidden, b * hidden);
      if (dc0 != null && cell.hasCellState()) {
        System.arraycopy(c.state2, 0, dc0, l * b * hidden, b * hidden);
      }
    }
  }

  /**
   * One decoding step of {@code rows} independent rows: x (rows, I), states hIn and cIn (layers,
   * rows, H; cIn only for LSTM) → hOut, cOut of the same shape. The top layer's slice of hOut is the
   * step's output. Computes the bits {@link #step} computes for the same rows.
   */
  public void inferStep(Cache c, int rows, float[] x, float[] hIn, float[] cIn, float[] hOut, float[] cOut) {
    if (c.stepLayout == null || c.stepLayout.batch() != rows) {
      c.stepLayout = SequenceLayout.uniform(rows, 1);
    }
    c.layout = c.stepLayout;
    c.state = Ops.ensure(c.state, rows * hidden);
    c.state2 = Ops.ensure(c.state2, rows * hidden);
    float[] in = x;
    int ldx = inputSize;
    for (int l = 0; l < layers; l++) {
      c.outputs[l] = Ops.ensure(c.outputs[l], rows * hidden);
      System.arraycopy(hIn, l * rows * hidden, c.state, 0, rows * hidden);
      float[] cs = null;
      if (cell.hasCellState()) {
        System.arraycopy(cIn, l * rows * hidden, c.state2, 0, rows * hidden);
        cs = c.state2;
      }
      stack[l].beginSteps(c.k[l], c.stepLayout, in, ldx, c.state, cs, c.outputs[l], 0, hidden);
      stack[l].stepForward(c.k[l], 0, 0, rows, false);
      System.arraycopy(c.outputs[l], 0, hOut, l * rows * hidden, rows * hidden);
      if (cell.hasCellState()) {
        System.arraycopy(c.k[l].cells, 0, cOut, l * rows * hidden, rows * hidden);
      }
      in = c.outputs[l];
      ldx = hidden;
    }
  }
}
