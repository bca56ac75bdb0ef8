package org.rnn4j.nn;

import org.rnn4j.math.PackedMatrix;

/** Elman RNN with tanh or relu; backward needs only the outputs. */
final class RnnLayer extends RecurrentLayer {
  private final boolean relu;

  RnnLayer(CellType cell, ParameterSet params, String prefix, String suffix, int inputSize, int hidden) {
    super(cell, params, prefix, suffix, inputSize, hidden);
    this.relu = cell == CellType.RNN_RELU;
  }

  @Override
  void forwardStep(Cache k, int t, int r0, int r1, int u0, int u1, float[] hp, int hpOff, int ldhp, PackedMatrix[] w,
                   boolean inRegion) {
    int row0 = k.layout.stepOffset(t) + r0;
    int g0 = gateRow(k, t, r0);
    if (!zeroRecurrence(k, t)) {
      recurrentProducts(inRegion, r1 - r0, hp, hpOff, ldhp, w, 1f, k.gates, g0 * hidden + u0);
    }
    for (int r = 0; r < r1 - r0; r++) {
      math.rnnForward(u1 - u0, relu, k.gates, (g0 + r) * hidden + u0, k.out, k.outOff + (row0 + r) * k.ldo + u0);
    }
  }

  @Override
  void backwardGates(Cache k, int t, int r0, int r1, int u0, int u1, float[] dOut, int dOff, int ldd) {
    int row0 = k.layout.stepOffset(t);
    for (int r = r0; r < r1; r++) {
      int row = row0 + r;
      math.rnnBackward(u1 - u0, relu, k.out, k.outOff + row * k.ldo + u0, k.dh, r * hidden + u0,
          dOut, dOff + row * ldd + u0, k.gates, row * hidden + u0);
    }
  }
}
