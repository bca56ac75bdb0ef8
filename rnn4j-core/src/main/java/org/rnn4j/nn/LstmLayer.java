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
  void forwardStep(Cache k, int t, int r0, int r1, float[] hp, int hpOff, int ldhp, PackedMatrix wHhT,
                   boolean inRegion) {
    SequenceLayout layout = k.layout;
    int row0 = layout.stepOffset(t) + r0;
    int g0 = gateRow(k, t, r0);
    if (!zeroRecurrence(k, t)) {
      gemm(inRegion, r1 - r0, hp, hpOff, ldhp, wHhT, 1f, k.gates, g0 * gateWidth, gateWidth);
    }
    int prev0 = t == 0 ? 0 : layout.stepOffset(t - 1);
    float[] cPrev = t == 0 ? k.c0 : k.cells;
    for (int r = r0; r < r1; r++) {
      int row = row0 + (r - r0);
      math.lstmForward(hidden, hidden, k.gates, (g0 + r - r0) * gateWidth, cPrev, (prev0 + r) * hidden,
          k.cells, row * hidden, k.tanhCells, row * hidden, k.out, k.outOff + row * k.ldo);
    }
  }

  @Override
  void forwardStepUnits(Cache k, int t, int rows, int u0, int u1, float[] hp, int hpOff, int ldhp, PackedMatrix[] w) {
    SequenceLayout layout = k.layout;
    int g0 = gateRow(k, t, 0);
    if (!zeroRecurrence(k, t)) {
      unitProducts(rows, hp, hpOff, ldhp, w, 1f, k.gates, g0 * gateWidth + u0);
    }
    int row0 = layout.stepOffset(t);
    int prev0 = t == 0 ? 0 : layout.stepOffset(t - 1);
    float[] cPrev = t == 0 ? k.c0 : k.cells;
    for (int r = 0; r < rows; r++) {
      int row = row0 + r;
      math.lstmForward(u1 - u0, hidden, k.gates, (g0 + r) * gateWidth + u0, cPrev, (prev0 + r) * hidden + u0,
          k.cells, row * hidden + u0, k.tanhCells, row * hidden + u0, k.out, k.outOff + row * k.ldo + u0);
    }
  }

  @Override
  void backwardStepUnits(Cache k, int t, int rows, int u0, int u1, float[] dOut, int dOff, int ldd) {
    SequenceLayout layout = k.layout;
    int row0 = layout.stepOffset(t);
    int prev0 = t == 0 ? 0 : layout.stepOffset(t - 1);
    float[] cPrev = t == 0 ? k.c0 : k.cells;
    for (int r = 0; r < rows; r++) {
      int row = row0 + r;
      math.lstmBackward(u1 - u0, hidden, k.gates, row * gateWidth + u0, k.tanhCells, row * hidden + u0,
          cPrev, (prev0 + r) * hidden + u0, k.dh, r * hidden + u0, dOut, dOff + row * ldd + u0, k.dc, r * hidden + u0);
    }
  }

  @Override
  void backwardStep(Cache k, int t, int r0, int r1, float[] dOut, int dOff, int ldd, boolean inRegion) {
    SequenceLayout layout = k.layout;
    int row0 = layout.stepOffset(t) + r0;
    int prev0 = t == 0 ? 0 : layout.stepOffset(t - 1);
    float[] cPrev = t == 0 ? k.c0 : k.cells;
    for (int r = r0; r < r1; r++) {
      int row = row0 + (r - r0);
      math.lstmBackward(hidden, hidden, k.gates, row * gateWidth, k.tanhCells, row * hidden,
          cPrev, (prev0 + r) * hidden, k.dh, r * hidden, dOut, dOff + row * ldd, k.dc, r * hidden);
    }
    if (needsDhPrev(k, t)) {
      gemm(inRegion, r1 - r0, k.gates, row0 * gateWidth, gateWidth, wHh.packed(), 0f, k.dh, r0 * hidden, hidden);
    }
  }
}
