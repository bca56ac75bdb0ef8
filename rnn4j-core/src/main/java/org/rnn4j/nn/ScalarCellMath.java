package org.rnn4j.nn;

import org.rnn4j.math.Activations;

/**
 * Scalar {@link CellMath}: the fallback without the Vector API, and the tails of the vector kernel.
 * Every element goes through the same operations as a vector lane, so both give the same bits.
 */
final class ScalarCellMath implements CellMath {
  @Override
  public void lstmForward(int rows, int units, int hh, float[] g, int go, float[] cPrev, int cpo, float[] c, int co,
                          float[] tc, int tco, float[] h, int ho, int ldh) {
    lstmGateActivations(rows, units, hh, g, go);
    for (int r = 0; r < rows; r++) {
      lstmCellRange(0, units, hh, g, go + r * 4 * hh, cPrev, cpo + r * hh, c, co + r * hh);
    }
    Activations.tanh(c, co, tc, tco, units, rows, hh, hh);
    for (int r = 0; r < rows; r++) {
      lstmOutputRange(0, units, hh, g, go + r * 4 * hh, tc, tco + r * hh, h, ho + r * ldh);
    }
  }

  /** σ over i and f, tanh over g, σ over o, for rows 4·hh apart. */
  static void lstmGateActivations(int rows, int units, int hh, float[] g, int go) {
    sigmoidFirstTwoGates(rows, units, hh, g, go, 4 * hh);
    Activations.tanh(g, go + 2 * hh, g, go + 2 * hh, units, rows, 4 * hh, 4 * hh);
    Activations.sigmoid(g, go + 3 * hh, units, rows, 4 * hh);
  }

  /**
   * σ over units [0, units) of the first two gate blocks (LSTM's i and f, GRU's r and z) of rows ldg
   * apart: one pass when they are adjacent (units = hh).
   */
  static void sigmoidFirstTwoGates(int rows, int units, int hh, float[] g, int go, int ldg) {
    if (units == hh) {
      Activations.sigmoid(g, go, 2 * hh, rows, ldg);
    } else {
      Activations.sigmoid(g, go, units, rows, ldg);
      Activations.sigmoid(g, go + hh, units, rows, ldg);
    }
  }

  /** c = f·cPrev + i·g over [j0, j1). */
  static void lstmCellRange(int j0, int j1, int hh, float[] g, int go, float[] cPrev, int cpo, float[] c, int co) {
    for (int j = j0; j < j1; j++) {
      c[co + j] = g[go + hh + j] * cPrev[cpo + j] + g[go + j] * g[go + 2 * hh + j];
    }
  }

  /** h = o·tanh(c) over [j0, j1). */
  static void lstmOutputRange(int j0, int j1, int hh, float[] g, int go, float[] tc, int tco, float[] h, int ho) {
    for (int j = j0; j < j1; j++) {
      h[ho + j] = g[go + 3 * hh + j] * tc[tco + j];
    }
  }

  @Override
  public void lstmBackward(int units, int hh, float[] g, int go, float[] tc, int tco, float[] cPrev, int cpo,
                           float[] dh, int dho, float[] dOut, int doo, float[] dc, int dco) {
    lstmBackwardRange(0, units, hh, g, go, tc, tco, cPrev, cpo, dh, dho, dOut, doo, dc, dco);
  }

  static void lstmBackwardRange(int j0, int j1, int hh, float[] g, int go, float[] tc, int tco,
                                float[] cPrev, int cpo, float[] dh, int dho, float[] dOut, int doo,
                                float[] dc, int dco) {
    for (int j = j0; j < j1; j++) {
      float i = g[go + j];
      float f = g[go + hh + j];
      float gg = g[go + 2 * hh + j];
      float o = g[go + 3 * hh + j];
      float d = dh[dho + j] + dOut[doo + j];
      float t = tc[tco + j];
      float dcc = dc[dco + j] + d * o * (1f - t * t);
      g[go + j] = dcc * gg * i * (1f - i);
      g[go + hh + j] = dcc * cPrev[cpo + j] * f * (1f - f);
      g[go + 2 * hh + j] = dcc * i * (1f - gg * gg);
      g[go + 3 * hh + j] = d * t * o * (1f - o);
      dc[dco + j] = dcc * f;
    }
  }

  @Override
  public void gruForward(int units, int hh, float[] gx, int gxo, float[] gh, int gho, float[] bhn, int bo,
                         float[] hPrev, int hpo, float[] hn, int hno, float[] h, int ho) {
    gruGateInputsRange(0, units, gx, gxo, gh, gho);
    gruGateInputsRange(0, units, gx, gxo + hh, gh, gho + hh);
    sigmoidFirstTwoGates(1, units, hh, gx, gxo, 3 * hh);
    gruCandidateInputRange(0, units, hh, gx, gxo, gh, gho, bhn, bo, hn, hno);
    Activations.tanh(gx, gxo + 2 * hh, gx, gxo + 2 * hh, units);
    gruOutputRange(0, units, hh, gx, gxo, hPrev, hpo, h, ho);
  }

  /** gx[r|z] += gh[r|z] over [j0, j1). */
  static void gruGateInputsRange(int j0, int j1, float[] gx, int gxo, float[] gh, int gho) {
    for (int j = j0; j < j1; j++) {
      gx[gxo + j] += gh[gho + j];
    }
  }

  /** hn = W_hn·h + b_hn; gx[n] += r·hn, over [j0, j1). */
  static void gruCandidateInputRange(int j0, int j1, int hh, float[] gx, int gxo, float[] gh, int gho,
                                     float[] bhn, int bo, float[] hn, int hno) {
    for (int j = j0; j < j1; j++) {
      float v = gh[gho + 2 * hh + j] + bhn[bo + j];
      hn[hno + j] = v;
      gx[gxo + 2 * hh + j] += gx[gxo + j] * v;
    }
  }

  /** h = (1-z)·n + z·hPrev over [j0, j1). */
  static void gruOutputRange(int j0, int j1, int hh, float[] gx, int gxo, float[] hPrev, int hpo, float[] h, int ho) {
    for (int j = j0; j < j1; j++) {
      float z = gx[gxo + hh + j];
      h[ho + j] = (1f - z) * gx[gxo + 2 * hh + j] + z * hPrev[hpo + j];
    }
  }

  @Override
  public void gruBackward(int units, int hh, float[] g, int go, float[] hn, int hno, float[] hPrev, int hpo,
                          float[] dh, int dho, float[] dOut, int doo, float[] dnx, int dnxo) {
    gruBackwardRange(0, units, hh, g, go, hn, hno, hPrev, hpo, dh, dho, dOut, doo, dnx, dnxo);
  }

  static void gruBackwardRange(int j0, int j1, int hh, float[] g, int go, float[] hn, int hno,
                               float[] hPrev, int hpo, float[] dh, int dho, float[] dOut, int doo,
                               float[] dnx, int dnxo) {
    for (int j = j0; j < j1; j++) {
      float r = g[go + j];
      float z = g[go + hh + j];
      float n = g[go + 2 * hh + j];
      float d = dh[dho + j] + dOut[doo + j];
      float omz = 1f - z;
      float dnp = d * omz * (1f - n * n);
      float dzp = d * (hPrev[hpo + j] - n) * z * omz;
      float drp = dnp * hn[hno + j] * r * (1f - r);
      g[go + j] = drp;
      g[go + hh + j] = dzp;
      g[go + 2 * hh + j] = dnp * r;
      dnx[dnxo + j] = dnp;
      dh[dho + j] = d * z;
    }
  }

  @Override
  public void rnnForward(int hh, boolean relu, float[] pre, int po, float[] h, int ho) {
    if (relu) {
      for (int j = 0; j < hh; j++) {
        h[ho + j] = Math.max(pre[po + j], 0f);
      }
    } else {
      Activations.tanh(pre, po, h, ho, hh);
    }
  }

  @Override
  public void rnnBackward(int hh, boolean relu, float[] h, int ho, float[] dh, int dho,
                          float[] dOut, int doo, float[] dpre, int dpo) {
    rnnBackwardRange(0, hh, relu, h, ho, dh, dho, dOut, doo, dpre, dpo);
  }

  static void rnnBackwardRange(int j0, int j1, boolean relu, float[] h, int ho, float[] dh, int dho,
                               float[] dOut, int doo, float[] dpre, int dpo) {
    for (int j = j0; j < j1; j++) {
      float d = dh[dho + j] + dOut[doo + j];
      float y = h[ho + j];
      dpre[dpo + j] = relu ? (y > 0f ? d : 0f) : d * (1f - y * y);
    }
  }
}
