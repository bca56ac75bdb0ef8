package org.rnn4j.nn;

import org.rnn4j.math.Ops;
import org.rnn4j.math.PackedMatrix;

/** LSTM: gates [i|f|g|o]; cell states c and tanh(c) cached (N, H) each for backward. */
final class LstmLayer extends RecurrentLayer {
  LstmLayer(ParameterSet params, String prefix, String suffix, int inputSize, int hidden) {
    super(CellType.LSTM, params, prefix, suffix, inputSize, hidden);
  }

  @Override
  void prepareForward(Cache k, int n, int b) {
    k.cells = Ops.ensure(k.cells, n * hidden);
    k.tanhCells = Ops.ensure(k.tanhCells, n * hidden);
  }

  @Override
  void forwardStep(Cache k, int t, int r0, int r1, int u0, int u1, float[] hp, int hpOff, int ldhp, PackedMatrix[] w,
                   boolean inRegion) {
    SequenceLayout layout = k.layout;
    int row0 = layout.stepOffset(t) + r0;
    int g0 = gateRow(k, t, r0);
    if (!zeroRecurrence(k, t)) {
      recurrentProducts(inRegion, r1 - r0, hp, hpOff, ldhp, w, 1f, k.gates, g0 * gateWidth + u0);
    }
    int prev0 = t == 0 ? 0 : layout.stepOffset(t - 1);
    float[] cPrev = t == 0 ? k.c0 : k.cells;
    math.lstmForward(r1 - r0, u1 - u0, hidden, k.gates, g0 * gateWidth + u0, cPrev, (prev0 + r0) * hidden + u0,
        k.cells, row0 * hidden + u0, k.tanhCells, row0 * hidden + u0, k.out, k.outOff + row0 * k.ldo + u0, k.ldo);
  }

  @Override
  void backwardGates(Cache k, int t, int r0, int r1, int u0, int u1, float[] dOut, int dOff, int ldd) {
    SequenceLayout layout = k.layout;
    int row0 = layout.stepOffset(t);
    int prev0 = t == 0 ? 0 : layout.stepOffset(t - 1);
    float[] cPrev = t == 0 ? k.c0 : k.cells;
    for (int r = r0; r < r1; r++) {
      int row = row0 + r;
      math.lstmBackward(u1 - u0, hidden, k.gates, row * gateWidth + u0, k.tanhCells, row * hidden + u0,
          cPrev, (prev0 + r) * hidden + u0, k.dh, r * hidden + u0, dOut, dOff + row * ldd + u0, k.dc, r * hidden + u0);
    }
  }
}
