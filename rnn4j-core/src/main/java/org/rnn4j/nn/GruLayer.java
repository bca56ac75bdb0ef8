package org.rnn4j.nn;

import java.util.Arrays;
import org.rnn4j.math.Blas;
import org.rnn4j.math.Ops;
import org.rnn4j.math.PackedMatrix;

/**
 * GRU with PyTorch's placement of b_hn inside the reset product: n = tanh(W_in x + b_in +
 * r·(W_hn h + b_hn)). The recurrent product therefore cannot be folded into the x-side
 * pre-activations: it goes to a per-step (B, 3H) buffer, and W_hn·h + b_hn is cached (N, H).
 */
final class GruLayer extends RecurrentLayer {
  GruLayer(ParameterSet params, String prefix, String suffix, int inputSize, int hidden) {
    super(CellType.GRU, params, prefix, suffix, inputSize, hidden);
  }

  @Override
  void prepareForward(Cache k, int n, int b) {
    k.hn = Ops.ensure(k.hn, n * hidden);
    k.step = Ops.ensure(k.step, b * gateWidth);
  }

  @Override
  boolean recurrentBiasOutside(int j) {
    return j < 2 * hidden; // b_hn stays inside r·(W_hn h + b_hn)
  }

  @Override
  void forwardStep(Cache k, int t, int r0, int r1, int u0, int u1, float[] hp, int hpOff, int ldhp, PackedMatrix[] w,
                   boolean inRegion) {
    int row0 = k.layout.stepOffset(t) + r0;
    int g0 = gateRow(k, t, r0);
    if (zeroRecurrence(k, t)) {
      for (int r = r0; r < r1; r++) {
        for (int q = 0; q < 3; q++) {
          int at = r * gateWidth + q * hidden;
          Arrays.fill(k.step, at + u0, at + u1, 0f);
        }
      }
    } else {
      recurrentProducts(inRegion, r1 - r0, hp, hpOff, ldhp, w, 0f, k.step, r0 * gateWidth + u0);
    }
    float[] p = bHh.data();
    int bhn = bHh.offset() + 2 * hidden + u0;
    for (int r = r0; r < r1; r++) {
      int row = row0 + (r - r0);
      math.gruForward(u1 - u0, hidden, k.gates, (g0 + r - r0) * gateWidth + u0, k.step, r * gateWidth + u0, p, bhn,
          hp, hpOff + (r - r0) * ldhp + u0, k.hn, row * hidden + u0, k.out, k.outOff + row * k.ldo + u0);
    }
  }

  @Override
  void prepareBackward(Cache k, int n, int b) {
    k.dnx = Ops.ensure(k.dnx, n * hidden);
  }

  @Override
  void backwardGates(Cache k, int t, int r0, int r1, int u0, int u1, float[] dOut, int dOff, int ldd) {
    int row0 = k.layout.stepOffset(t);
    float[] hp = previousHidden(k, t);
    int hpOff = previousHiddenOffset(k, t, 0);
    int ldhp = previousHiddenStride(k, t);
    for (int r = r0; r < r1; r++) {
      int row = row0 + r;
      math.gruBackward(u1 - u0, hidden, k.gates, row * gateWidth + u0, k.hn, row * hidden + u0,
          hp, hpOff + r * ldhp + u0, k.dh, r * hidden + u0, dOut, dOff + row * ldd + u0, k.dnx, row * hidden + u0);
    }
  }

  @Override
  float dhProductBeta() {
    return 1f; // dh already holds the direct part dh·z; the product adds the path through the gates
  }

  @Override
  void sumInputGateGradients(Cache k, TokenGroups g, float[] gu) {
    int rz = 2 * hidden;
    Ops.sumGroups(k.gates, 0, gateWidth, rz, g.start(), g.members(), g.count(), gu, 0, gateWidth,
        bIh.grad(), bIh.offset(), bHh.grad(), bHh.offset(), k.partialSums);
    Ops.sumGroups(k.dnx, 0, hidden, hidden, g.start(), g.members(), g.count(), gu, rz, gateWidth,
        bIh.grad(), bIh.offset() + rz, null, 0, k.partialSums);
    // b_hn sits inside r·(W_hn h + b_hn): its gradient is the recurrent side's, over all N rows.
    Ops.addColumnSums(k.gates, rz, k.layout.tokens(), hidden, gateWidth, bHh.grad(), bHh.offset() + rz);
  }

  @Override
  void inputGradients(Cache k, int n, float[] dx, int dxOff, int lddx, boolean accumulate) {
    int rz = 2 * hidden;
    int in = inputSize;
    // x-side gate gradients are [dr|dz] (shared with the recurrent side) and dn (in k.dnx).
    Blas.gemm(true, false, rz, in, n, k.gates, 0, gateWidth, k.x, k.xOff, k.ldx,
        1f, wIh.grad(), wIh.offset(), in);
    Blas.gemm(true, false, hidden, in, n, k.dnx, 0, hidden, k.x, k.xOff, k.ldx,
        1f, wIh.grad(), wIh.offset() + rz * in, in);
    Ops.addColumnSums(k.gates, 0, n, rz, gateWidth, bIh.grad(), bIh.offset(), bHh.grad(), bHh.offset());
    Ops.addColumnSums(k.gates, rz, n, hidden, gateWidth, bHh.grad(), bHh.offset() + rz);
    Ops.addColumnSums(k.dnx, 0, n, hidden, hidden, bIh.grad(), bIh.offset() + rz);
    if (dx != null) {
      inputRowsGradient(k, 0, n, dx, dxOff, lddx, accumulate, false);
    }
  }

  @Override
  void inputRowsGradient(Cache k, int row0, int rows, float[] dx, int dxOff, int lddx, boolean accumulate,
                         boolean inRegion) {
    int rz = 2 * hidden;
    int in = inputSize;
    if (inRegion) {
      Blas.gemmSerial(false, false, rows, in, rz, k.gates, row0 * gateWidth, gateWidth, wIh.data(), wIh.offset(), in,
          accumulate ? 1f : 0f, dx, dxOff, lddx);
      Blas.gemmSerial(false, false, rows, in, hidden, k.dnx, row0 * hidden, hidden, wIh.data(),
          wIh.offset() + rz * in, in, 1f, dx, dxOff, lddx);
    } else {
      Blas.gemm(false, false, rows, in, rz, k.gates, row0 * gateWidth, gateWidth, wIh.data(), wIh.offset(), in,
          accumulate ? 1f : 0f, dx, dxOff, lddx);
      Blas.gemm(false, false, rows, in, hidden, k.dnx, row0 * hidden, hidden, wIh.data(), wIh.offset() + rz * in,
          in, 1f, dx, dxOff, lddx);
    }
  }
}
