package org.rnn4j.nn;

import org.rnn4j.math.Vectorization;

/**
 * Element-wise math of one cell step for one row (one sequence at one time step), over data still in
 * cache from the recurrent GEMM. Nonlinearities run as array passes ({@link
 * org.rnn4j.math.Activations}); the arithmetic between them is fused into vector loops, and every
 * backward kernel is pure arithmetic on values cached by forward. H is the hidden size; gate blocks
 * are [i|f|g|o] (LSTM) and [r|z|n] (GRU).
 */
interface CellMath {
  CellMath INSTANCE = Vectorization.ENABLED ? new VectorCellMath() : new ScalarCellMath();

  /**
   * LSTM forward over hidden units [0, units) of {@code rows} rows (one time step's) whose gate blocks
   * are hh apart (units = hh for whole rows; fewer when threads split a step by units). g (rows, 4·hh):
   * pre-activations in, activations [σi|σf|tanh g|σo] out. c = f·cPrev + i·g, tc = tanh(c) (kept for
   * backward), h = o·tc; cPrev, c and tc rows are hh apart, h rows ldh apart. One call per step rather
   * than per row gives each pass many independent chains.
   */
  void lstmForward(int rows, int units, int hh, float[] g, int go, float[] cPrev, int cpo, float[] c, int co,
                   float[] tc, int tco, float[] h, int ho, int ldh);

  /**
   * LSTM backward over units [0, units), gate blocks hh apart (as {@link #lstmForward}). g (4·hh):
   * activations in, gate pre-activation gradients out. tc (H): tanh(c) from
   * forward. dh (H): gradient into h from the next step; dOut (H): from this step's output.
   * dc (H): gradient into c from the next step in, gradient into cPrev out.
   */
  void lstmBackward(int units, int hh, float[] g, int go, float[] tc, int tco, float[] cPrev, int cpo,
                    float[] dh, int dho, float[] dOut, int doo, float[] dc, int dco);

  /**
   * GRU forward over hidden units [0, units), gate blocks hh apart as in {@link #lstmForward}. gx
   * (3·hh): x-side pre-activations [r|z|n] (b_ih, and b_hh for r and z, included) in, activations
   * [r|z|n] out. gh (3·hh): W_hh·hPrev without bias (overwritten). hn (H) out: W_hn·hPrev + b_hn, kept
   * for backward. h = (1-z)·n + z·hPrev.
   */
  void gruForward(int units, int hh, float[] gx, int gxo, float[] gh, int gho, float[] bhn, int bo,
                  float[] hPrev, int hpo, float[] hn, int hno, float[] h, int ho);

  /**
   * GRU backward over units [0, units), gate blocks hh apart. g (3·hh): activations in, recurrent-side gate gradients [dr|dz|dn·r] out.
   * dnx (H) out: the x-side gradient of the n gate. dh (H): gradient into h in, the direct part of
   * the gradient into hPrev (dh·z) out; the caller adds the W_hh product.
   */
  void gruBackward(int units, int hh, float[] g, int go, float[] hn, int hno, float[] hPrev, int hpo,
                   float[] dh, int dho, float[] dOut, int doo, float[] dnx, int dnxo);

  /** Plain RNN forward: h = act(pre). */
  void rnnForward(int hidden, boolean relu, float[] pre, int po, float[] h, int ho);

  /** Plain RNN backward: dpre = (dh + dOut)·act'(h); written into dpre. */
  void rnnBackward(int hidden, boolean relu, float[] h, int ho, float[] dh, int dho,
                   float[] dOut, int doo, float[] dpre, int dpo);
}
