package org.rnn4j.nn;

import static org.rnn4j.nn.SameBits.assertSameBits;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rnn4j.random.Rng;

/**
 * The backward pass takes shortcuts that must not change a bit: full-length batches read h_{t-1}
 * from the outputs (ragged ones gather it), and a null dOut is read as one row of zeros. Each
 * shortcut is compared with the path it replaces on the same numbers. rnn4j's kernels continue one
 * chain per element through C, so there the comparisons are exact; native BLAS sums a split
 * product in its own order, so under it they allow {@link #NATIVE_TOLERANCE}.
 */
class BackwardPathsTest {
  private static final int B = 3;
  private static final int T = 5;
  private static final int I = 4;
  private static final int H = 6;
  /** Largest difference measured under native OpenBLAS: 4.8e-7 (gradients up to ~1); 2e-6 leaves room. */
  private static final float NATIVE_TOLERANCE = 2e-6f;

  @Test
  void backward_fullLengthBatchEqualsRaggedBatchWithAnIdleSequence() {
    for (CellType cell : new CellType[] {CellType.LSTM, CellType.GRU, CellType.RNN_TANH}) {
      for (boolean withH0 : new boolean[] {false, true}) {
        Rng rng = new Rng(cell.ordinal() * 10L + (withH0 ? 1 : 0));
        float[] x = random(rng, B * T * I);
        float[] dOut = random(rng, B * T * 2 * H);
        float[] dhN = random(rng, 2 * 2 * B * H);
        float[] h0 = withH0 ? random(rng, 2 * 2 * B * H) : null;
        float[] full = gradients(cell, x, dOut, dhN, h0, false);
        // A fourth sequence of length 1 whose gradient is zero makes the batch ragged: the same
        // gradients, now through the gathered h_{t-1}, plus exact zeros from the idle row.
        float[] ragged = gradients(cell, x, dOut, dhN, h0, true);
        assertSameBits(full, ragged, NATIVE_TOLERANCE, cell + (withH0 ? " with h0" : ""));
      }
    }
  }

  @Test
  void backward_nullDOutEqualsZeroDOut() {
    for (CellType cell : new CellType[] {CellType.LSTM, CellType.GRU}) {
      Rng rng = new Rng(7 + cell.ordinal());
      float[] x = random(rng, B * T * I);
      float[] dhN = random(rng, 2 * 2 * B * H);
      float[] viaNull = gradients(cell, x, null, dhN, null, false);
      float[] viaZeros = gradients(cell, x, new float[B * T * 2 * H], dhN, null, false);
      assertSameBits(viaZeros, viaNull, NATIVE_TOLERANCE, cell.toString());
    }
  }

  /**
   * Parameter gradients then input gradients of a 2-layer bidirectional stack with fixed weights;
   * with {@code idle}, a batch of B + 1 whose last sequence (length 1) receives no gradient.
   */
  private static float[] gradients(CellType cell, float[] x, float[] dOut, float[] dhN, float[] h0, boolean idle) {
    ParameterSet params = new ParameterSet();
    RecurrentStack stack = new RecurrentStack(params, "rnn.", cell, I, H, 2, true, 0f);
    Rng w = new Rng(99);
    float[] p = params.data();
    for (int i = 0; i < p.length; i++) {
      p[i] = w.uniform(-0.4f, 0.4f);
    }
    params.touch();
    int b = idle ? B + 1 : B;
    int[] lengths = new int[b];
    Arrays.fill(lengths, T);
    if (idle) {
      lengths[B] = 1;
    }
    float[] xs = Arrays.copyOf(x, b * T * I);
    float[] dOuts = dOut == null ? null : Arrays.copyOf(dOut, b * T * 2 * H);
    float[] dhNs = widen(dhN, b);
    float[] h0s = h0 == null ? null : widen(h0, b);
    float[] c0s = h0 == null || cell != CellType.LSTM ? null : h0s.clone();
    RecurrentStack.Cache c = stack.newCache();
    stack.forwardPadded(c, xs, lengths, T, h0s, c0s, false, null);
    float[] dx = stack.backwardPadded(c, dOuts, dhNs, null, null, null);
    float[] g = params.grad();
    float[] all = Arrays.copyOf(g, g.length + B * T * I);
    System.arraycopy(dx, 0, all, g.length, B * T * I);
    return all;
  }

  /** (slices, B, H) states as (slices, b, H), the extra sequences' entries zero. */
  private static float[] widen(float[] s, int b) {
    int slices = s.length / (B * H);
    float[] out = new float[slices * b * H];
    for (int k = 0; k < slices; k++) {
      System.arraycopy(s, k * B * H, out, k * b * H, B * H);
    }
    return out;
  }

  private static float[] random(Rng rng, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = rng.uniform(-1f, 1f);
    }
    return a;
  }
}
