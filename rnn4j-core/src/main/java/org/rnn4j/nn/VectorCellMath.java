package org.rnn4j.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.rnn4j.math.VectorActivations;

/**
 * {@link CellMath} on the Vector API, with {@link VectorActivations} for the nonlinearities; the last
 * H mod lanes elements go through {@link ScalarCellMath}, which computes the same values.
 */
final class VectorCellMath implements CellMath {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private static FloatVector sigmoid(FloatVector x) {
    return VectorActivations.sigmoid(x);
  }

  private static FloatVector tanh(FloatVector x) {
    return VectorActivations.tanh(x);
  }

  private static FloatVector load(float[] a, int off) {
    return FloatVector.fromArray(S, a, off);
  }

  @Override
  public void lstmForward(int hh, float[] g, int go, float[] cPrev, int cpo, float[] c, int co,
                          float[] h, int ho) {
    int j = 0;
    for (int bound = S.loopBound(hh); j < bound; j += L) {
      FloatVector i = sigmoid(load(g, go + j));
      FloatVector f = sigmoid(load(g, go + hh + j));
      FloatVector gg = tanh(load(g, go + 2 * hh + j));
      FloatVector o = sigmoid(load(g, go + 3 * hh + j));
      FloatVector cn = f.mul(load(cPrev, cpo + j)).add(i.mul(gg));
      i.intoArray(g, go + j);
      f.intoArray(g, go + hh + j);
      gg.intoArray(g, go + 2 * hh + j);
      o.intoArray(g, go + 3 * hh + j);
      cn.intoArray(c, co + j);
      o.mul(tanh(cn)).intoArray(h, ho + j);
    }
    ScalarCellMath.lstmForwardRange(j, hh, hh, g, go, cPrev, cpo, c, co, h, ho);
  }

  @Override
  public void lstmBackward(int hh, float[] g, int go, float[] c, int co, float[] cPrev, int cpo,
                           float[] dh, int dho, float[] dOut, int doo, float[] dc, int dco) {
    int j = 0;
    for (int bound = S.loopBound(hh); j < bound; j += L) {
      FloatVector i = load(g, go + j);
      FloatVector f = load(g, go + hh + j);
      FloatVector gg = load(g, go + 2 * hh + j);
      FloatVector o = load(g, go + 3 * hh + j);
      FloatVector d = load(dh, dho + j).add(load(dOut, doo + j));
      FloatVector tc = tanh(load(c, co + j));
      FloatVector dcc = load(dc, dco + j).add(d.mul(o).mul(tc.mul(tc).neg().add(1f)));
      FloatVector cp = load(cPrev, cpo + j);
      dcc.mul(gg).mul(i).mul(i.neg().add(1f)).intoArray(g, go + j);
      dcc.mul(cp).mul(f).mul(f.neg().add(1f)).intoArray(g, go + hh + j);
      dcc.mul(i).mul(gg.mul(gg).neg().add(1f)).intoArray(g, go + 2 * hh + j);
      d.mul(tc).mul(o).mul(o.neg().add(1f)).intoArray(g, go + 3 * hh + j);
      dcc.mul(f).intoArray(dc, dco + j);
    }
    ScalarCellMath.lstmBackwardRange(j, hh, hh, g, go, c, co, cPrev, cpo, dh, dho, dOut, doo, dc, dco);
  }

  @Override
  public void gruForward(int hh, float[] gx, int gxo, float[] gh, int gho, float[] bhn, int bo,
                         float[] hPrev, int hpo, float[] hn, int hno, float[] h, int ho) {
    int j = 0;
    for (int bound = S.loopBound(hh); j < bound; j += L) {
      FloatVector r = sigmoid(load(gx, gxo + j).add(load(gh, gho + j)));
      FloatVector z = sigmoid(load(gx, gxo + hh + j).add(load(gh, gho + hh + j)));
      FloatVector hnj = load(gh, gho + 2 * hh + j).add(load(bhn, bo + j));
      FloatVector n = tanh(load(gx, gxo + 2 * hh + j).add(r.mul(hnj)));
      FloatVector hp = load(hPrev, hpo + j);
      r.intoArray(gx, gxo + j);
      z.intoArray(gx, gxo + hh + j);
      n.intoArray(gx, gxo + 2 * hh + j);
      hnj.intoArray(hn, hno + j);
      z.neg().add(1f).mul(n).add(z.mul(hp)).intoArray(h, ho + j);
    }
    ScalarCellMath.gruForwardRange(j, hh, hh, gx, gxo, gh, gho, bhn, bo, hPrev, hpo, hn, hno, h, ho);
  }

  @Override
  public void gruBackward(int hh, float[] g, int go, float[] hn, int hno, float[] hPrev, int hpo,
                          float[] dh, int dho, float[] dOut, int doo, float[] dnx, int dnxo) {
    int j = 0;
    for (int bound = S.loopBound(hh); j < bound; j += L) {
      FloatVector r = load(g, go + j);
      FloatVector z = load(g, go + hh + j);
      FloatVector n = load(g, go + 2 * hh + j);
      FloatVector hp = load(hPrev, hpo + j);
      FloatVector d = load(dh, dho + j).add(load(dOut, doo + j));
      FloatVector omz = z.neg().add(1f);
      FloatVector dnp = d.mul(omz).mul(n.mul(n).neg().add(1f));
      FloatVector dzp = d.mul(hp.sub(n)).mul(z).mul(omz);
      FloatVector drp = dnp.mul(load(hn, hno + j)).mul(r).mul(r.neg().add(1f));
      drp.intoArray(g, go + j);
      dzp.intoArray(g, go + hh + j);
      dnp.mul(r).intoArray(g, go + 2 * hh + j);
      dnp.intoArray(dnx, dnxo + j);
      d.mul(z).intoArray(dh, dho + j);
    }
    ScalarCellMath.gruBackwardRange(j, hh, hh, g, go, hn, hno, hPrev, hpo, dh, dho, dOut, doo, dnx, dnxo);
  }

  @Override
  public void rnnForward(int hh, boolean relu, float[] pre, int po, float[] h, int ho) {
    int j = 0;
    for (int bound = S.loopBound(hh); j < bound; j += L) {
      FloatVector p = load(pre, po + j);
      (relu ? p.max(0f) : tanh(p)).intoArray(h, ho + j);
    }
    ScalarCellMath.rnnForwardRange(j, hh, relu, pre, po, h, ho);
  }

  @Override
  public void rnnBackward(int hh, boolean relu, float[] h, int ho, float[] dh, int dho,
                          float[] dOut, int doo, float[] dpre, int dpo) {
    int j = 0;
    for (int bound = S.loopBound(hh); j < bound; j += L) {
      FloatVector d = load(dh, dho + j).add(load(dOut, doo + j));
      FloatVector y = load(h, ho + j);
      FloatVector r = relu
          ? d.blend(0f, y.compare(VectorOperators.LE, 0f))
          : d.mul(y.mul(y).neg().add(1f));
      r.intoArray(dpre, dpo + j);
    }
    ScalarCellMath.rnnBackwardRange(j, hh, relu, h, ho, dh, dho, dOut, doo, dpre, dpo);
  }
}
