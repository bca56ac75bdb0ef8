package org.rnn4j.nn;

import org.rnn4j.math.Activations;

/** Scalar reference of {@link CellMath}; also computes the tails the vector kernel leaves. */
final class ScalarCellMath implements CellMath {
  static float sigmoid(float x) {
    return Activations.sigmoid(x);
  }

  static float tanh(float x) {
    return Activations.tanh(x);
  }

  @Override
  public void lstmForward(int hh, float[] g, int go, float[] cPrev, int cpo, float[] c, int co,
                          float[] h, int ho) {
    lstmForwardRange(0, hh, hh, g, go, cPrev, cpo, c, co, h, ho);
  }

  static void lstmForwardRange(int j0, int j1, int hh, float[] g, int go, float[] cPrev, int cpo,
                               float[] c, int co, float[] h, int ho) {
    for (int j = j0; j < j1; j++) {
      float i = sigmoid(g[go + j]);
      float f = sigmoid(g[go + hh + j]);
      float gg = tanh(g[go + 2 * hh + j]);
      float o = sigmoid(g[go + 3 * hh + j]);
      float cp = cPrev == null ? 0f : cPrev[cpo + j];
      float cn = f * cp + i * gg;
      g[go + j] = i;
      g[go + hh + j] = f;
      g[go + 2 * hh + j] = gg;
      g[go + 3 * hh + j] = o;
      c[co + j] = cn;
      h[ho + j] = o * tanh(cn);
    }
  }

  @Override
  public void lstmBackward(int hh, float[] g, int go, float[] c, int co, float[] cPrev, int cpo,
                           float[] dh, int dho, float[] dOut, int doo, float[] dc, int dco) {
    lstmBackwardRange(0, hh, hh, g, go, c, co, cPrev, cpo, dh, dho, dOut, doo, dc, dco);
  }

  static void lstmBackwardRange(int j0, int j1, int hh, float[] g, int go, float[] c, int co,
                                float[] cPrev, int cpo, float[] dh, int dho, float[] dOut, int doo,
                                float[] dc, int dco) {
    for (int j = j0; j < j1; j++) {
      float i = g[go + j];
      float f = g[go + hh + j];
      float gg = g[go + 2 * hh + j];
      float o = g[go + 3 * hh + j];
      float d = dh[dho + j] + (dOut == null ? 0f : dOut[doo + j]);
      float tc = tanh(c[co + j]);
      float dcc = dc[dco + j] + d * o * (1f - tc * tc);
      float cp = cPrev == null ? 0f : cPrev[cpo + j];
      g[go + j] = dcc * gg * i * (1f - i);
      g[go + hh + j] = dcc * cp * f * (1f - f);
      g[go + 2 * hh + j] = dcc * i * (1f - gg * gg);
      g[go + 3 * hh + j] = d * tc * o * (1f - o);
      dc[dco + j] = dcc * f;
    }
  }

  @Override
  public void gruForward(int hh, float[] gx, int gxo, float[] gh, int gho, float[] bhn, int bo,
                         float[] hPrev, int hpo, float[] hn, int hno, float[] h, int ho) {
    gruForwardRange(0, hh, hh, gx, gxo, gh, gho, bhn, bo, hPrev, hpo, hn, hno, h, ho);
  }

  static void gruForwardRange(int j0, int j1, int hh, float[] gx, int gxo, float[] gh, int gho,
                              float[] bhn, int bo, float[] hPrev, int hpo, float[] hn, int hno,
                              float[] h, int ho) {
    for (int j = j0; j < j1; j++) {
      float r = sigmoid(gx[gxo + j] + gh[gho + j]);
      float z = sigmoid(gx[gxo + hh + j] + gh[gho + hh + j]);
      float hnj = gh[gho + 2 * hh + j] + bhn[bo + j];
      float n = tanh(gx[gxo + 2 * hh + j] + r * hnj);
      float hp = hPrev == null ? 0f : hPrev[hpo + j];
      gx[gxo + j] = r;
      gx[gxo + hh + j] = z;
      gx[gxo + 2 * hh + j] = n;
      hn[hno + j] = hnj;
      h[ho + j] = (1f - z) * n + z * hp;
    }
  }

  @Override
  public void gruBackward(int hh, float[] g, int go, float[] hn, int hno, float[] hPrev, int hpo,
                          float[] dh, int dho, float[] dOut, int doo, float[] dnx, int dnxo) {
    gruBackwardRange(0, hh, hh, g, go, hn, hno, hPrev, hpo, dh, dho, dOut, doo, dnx, dnxo);
  }

  static void gruBackwardRange(int j0, int j1, int hh, float[] g, int go, float[] hn, int hno,
                               float[] hPrev, int hpo, float[] dh, int dho, float[] dOut, int doo,
                               float[] dnx, int dnxo) {
    for (int j = j0; j < j1; j++) {
      float r = g[go + j];
      float z = g[go + hh + j];
      float n = g[go + 2 * hh + j];
      float hp = hPrev == null ? 0f : hPrev[hpo + j];
      float d = dh[dho + j] + (dOut == null ? 0f : dOut[doo + j]);
      float dnp = d * (1f - z) * (1f - n * n);
      float dzp = d * (hp - n) * z * (1f - z);
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
    rnnForwardRange(0, hh, relu, pre, po, h, ho);
  }

  static void rnnForwardRange(int j0, int j1, boolean relu, float[] pre, int po, float[] h, int ho) {
    for (int j = j0; j < j1; j++) {
      float p = pre[po + j];
      h[ho + j] = relu ? Math.max(p, 0f) : tanh(p);
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
      float d = dh[dho + j] + (dOut == null ? 0f : dOut[doo + j]);
      float y = h[ho + j];
      dpre[dpo + j] = relu ? (y > 0f ? d : 0f) : d * (1f - y * y);
    }
  }
}
