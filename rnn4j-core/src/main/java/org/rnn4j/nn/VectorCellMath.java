package org.rnn4j.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.rnn4j.math.Activations;

/**
 * {@link CellMath} on the Vector API. Nonlinearities run as array passes and each arithmetic loop is
 * its own method; no method here passes a vector to another. When C2 compiles a large caller it may
 * stop inlining part-way (NodeCountInliningCutoff), and a vector crossing a call that was not inlined
 * is boxed on the heap, which cost tens of megabytes of garbage per batch and half the speed
 * (BENCHMARKS.md, "Figures behind the code's choices").
 * The last H mod lanes elements go through {@link ScalarCellMath}, which computes the same bits.
 */
final class VectorCellMath implements CellMath {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  @Override
  public void lstmForward(int rows, int units, int hh, float[] g, int go, float[] cPrev, int cpo, float[] c, int co,
                          float[] tc, int tco, float[] h, int ho, int ldh) {
    ScalarCellMath.lstmGateActivations(rows, units, hh, g, go); // array passes: vector inside Activations
    lstmCell(rows, units, hh, g, go, cPrev, cpo, c, co);
    Activations.tanh(c, co, tc, tco, units, rows, hh, hh);
    lstmOutput(rows, units, hh, g, go, tc, tco, h, ho, ldh);
  }

  private static void lstmCell(int rows, int units, int hh, float[] g, int go, float[] cPrev, int cpo, float[] c,
                               int co) {
    int bound = S.loopBound(units);
    for (int r = 0; r < rows; r++) {
      int gr = go + r * 4 * hh;
      int pr = cpo + r * hh;
      int cr = co + r * hh;
      for (int j = 0; j < bound; j += L) {
        FloatVector f = FloatVector.fromArray(S, g, gr + hh + j);
        FloatVector i = FloatVector.fromArray(S, g, gr + j);
        FloatVector gg = FloatVector.fromArray(S, g, gr + 2 * hh + j);
        f.mul(FloatVector.fromArray(S, cPrev, pr + j)).add(i.mul(gg)).intoArray(c, cr + j);
      }
      ScalarCellMath.lstmCellRange(bound, units, hh, g, gr, cPrev, pr, c, cr);
    }
  }

  private static void lstmOutput(int rows, int units, int hh, float[] g, int go, float[] tc, int tco, float[] h,
                                 int ho, int ldh) {
    int bound = S.loopBound(units);
    for (int r = 0; r < rows; r++) {
      int gr = go + r * 4 * hh;
      int tr = tco + r * hh;
      int hr = ho + r * ldh;
      for (int j = 0; j < bound; j += L) {
        FloatVector.fromArray(S, g, gr + 3 * hh + j).mul(FloatVector.fromArray(S, tc, tr + j)).intoArray(h, hr + j);
      }
      ScalarCellMath.lstmOutputRange(bound, units, hh, g, gr, tc, tr, h, hr);
    }
  }

  @Override
  public void lstmBackward(int units, int hh, float[] g, int go, float[] tc, int tco, float[] cPrev, int cpo,
                           float[] dh, int dho, float[] dOut, int doo, float[] dc, int dco) {
    int j = 0;
    for (int bound = S.loopBound(units); j < bound; j += L) {
      FloatVector i = FloatVector.fromArray(S, g, go + j);
      FloatVector f = FloatVector.fromArray(S, g, go + hh + j);
      FloatVector gg = FloatVector.fromArray(S, g, go + 2 * hh + j);
      FloatVector o = FloatVector.fromArray(S, g, go + 3 * hh + j);
      FloatVector d = FloatVector.fromArray(S, dh, dho + j).add(FloatVector.fromArray(S, dOut, doo + j));
      FloatVector t = FloatVector.fromArray(S, tc, tco + j);
      FloatVector dcc = FloatVector.fromArray(S, dc, dco + j).add(d.mul(o).mul(t.mul(t).neg().add(1f)));
      dcc.mul(gg).mul(i).mul(i.neg().add(1f)).intoArray(g, go + j);
      dcc.mul(FloatVector.fromArray(S, cPrev, cpo + j)).mul(f).mul(f.neg().add(1f)).intoArray(g, go + hh + j);
      dcc.mul(i).mul(gg.mul(gg).neg().add(1f)).intoArray(g, go + 2 * hh + j);
      d.mul(t).mul(o).mul(o.neg().add(1f)).intoArray(g, go + 3 * hh + j);
      dcc.mul(f).intoArray(dc, dco + j);
    }
    ScalarCellMath.lstmBackwardRange(j, units, hh, g, go, tc, tco, cPrev, cpo, dh, dho, dOut, doo, dc, dco);
  }

  @Override
  public void gruForward(int units, int hh, float[] gx, int gxo, float[] gh, int gho, float[] bhn, int bo,
                         float[] hPrev, int hpo, float[] hn, int hno, float[] h, int ho) {
    if (units == hh) {
      gruGateInputs(2 * hh, gx, gxo, gh, gho);
    } else {
      gruGateInputs(units, gx, gxo, gh, gho);
      gruGateInputs(units, gx, gxo + hh, gh, gho + hh);
    }
    ScalarCellMath.sigmoidFirstTwoGates(1, units, hh, gx, gxo, 3 * hh);
    gruCandidateInput(units, hh, gx, gxo, gh, gho, bhn, bo, hn, hno);
    Activations.tanh(gx, gxo + 2 * hh, gx, gxo + 2 * hh, units);
    gruOutput(units, hh, gx, gxo, hPrev, hpo, h, ho);
  }

  private static void gruGateInputs(int n, float[] gx, int gxo, float[] gh, int gho) {
    int j = 0;
    for (int bound = S.loopBound(n); j < bound; j += L) {
      FloatVector.fromArray(S, gx, gxo + j).add(FloatVector.fromArray(S, gh, gho + j)).intoArray(gx, gxo + j);
    }
    ScalarCellMath.gruGateInputsRange(j, n, gx, gxo, gh, gho);
  }

  private static void gruCandidateInput(int units, int hh, float[] gx, int gxo, float[] gh, int gho, float[] bhn,
                                        int bo, float[] hn, int hno) {
    int j = 0;
    for (int bound = S.loopBound(units); j < bound; j += L) {
      FloatVector v = FloatVector.fromArray(S, gh, gho + 2 * hh + j).add(FloatVector.fromArray(S, bhn, bo + j));
      v.intoArray(hn, hno + j);
      FloatVector.fromArray(S, gx, gxo + 2 * hh + j).add(FloatVector.fromArray(S, gx, gxo + j).mul(v))
          .intoArray(gx, gxo + 2 * hh + j);
    }
    ScalarCellMath.gruCandidateInputRange(j, units, hh, gx, gxo, gh, gho, bhn, bo, hn, hno);
  }

  private static void gruOutput(int units, int hh, float[] gx, int gxo, float[] hPrev, int hpo, float[] h, int ho) {
    int j = 0;
    for (int bound = S.loopBound(units); j < bound; j += L) {
      FloatVector z = FloatVector.fromArray(S, gx, gxo + hh + j);
      z.neg().add(1f).mul(FloatVector.fromArray(S, gx, gxo + 2 * hh + j))
          .add(z.mul(FloatVector.fromArray(S, hPrev, hpo + j))).intoArray(h, ho + j);
    }
    ScalarCellMath.gruOutputRange(j, units, hh, gx, gxo, hPrev, hpo, h, ho);
  }

  @Override
  public void gruBackward(int units, int hh, float[] g, int go, float[] hn, int hno, float[] hPrev, int hpo,
                          float[] dh, int dho, float[] dOut, int doo, float[] dnx, int dnxo) {
    int j = 0;
    for (int bound = S.loopBound(units); j < bound; j += L) {
      FloatVector r = FloatVector.fromArray(S, g, go + j);
      FloatVector z = FloatVector.fromArray(S, g, go + hh + j);
      FloatVector n = FloatVector.fromArray(S, g, go + 2 * hh + j);
      FloatVector d = FloatVector.fromArray(S, dh, dho + j).add(FloatVector.fromArray(S, dOut, doo + j));
      FloatVector omz = z.neg().add(1f);
      FloatVector dnp = d.mul(omz).mul(n.mul(n).neg().add(1f));
      FloatVector dzp = d.mul(FloatVector.fromArray(S, hPrev, hpo + j).sub(n)).mul(z).mul(omz);
      FloatVector drp = dnp.mul(FloatVector.fromArray(S, hn, hno + j)).mul(r).mul(r.neg().add(1f));
      drp.intoArray(g, go + j);
      dzp.intoArray(g, go + hh + j);
      dnp.mul(r).intoArray(g, go + 2 * hh + j);
      dnp.intoArray(dnx, dnxo + j);
      d.mul(z).intoArray(dh, dho + j);
    }
    ScalarCellMath.gruBackwardRange(j, units, hh, g, go, hn, hno, hPrev, hpo, dh, dho, dOut, doo, dnx, dnxo);
  }

  @Override
  public void rnnForward(int hh, boolean relu, float[] pre, int po, float[] h, int ho) {
    if (!relu) {
      Activations.tanh(pre, po, h, ho, hh);
      return;
    }
    int j = 0;
    for (int bound = S.loopBound(hh); j < bound; j += L) {
      FloatVector.fromArray(S, pre, po + j).max(0f).intoArray(h, ho + j);
    }
    for (; j < hh; j++) {
      h[ho + j] = Math.max(pre[po + j], 0f);
    }
  }

  @Override
  public void rnnBackward(int hh, boolean relu, float[] h, int ho, float[] dh, int dho,
                          float[] dOut, int doo, float[] dpre, int dpo) {
    int j = 0;
    for (int bound = S.loopBound(hh); j < bound; j += L) {
      FloatVector d = FloatVector.fromArray(S, dh, dho + j).add(FloatVector.fromArray(S, dOut, doo + j));
      FloatVector y = FloatVector.fromArray(S, h, ho + j);
      FloatVector r = relu
          ? d.blend(0f, y.compare(VectorOperators.LE, 0f))
          : d.mul(y.mul(y).neg().add(1f));
      r.intoArray(dpre, dpo + j);
    }
    ScalarCellMath.rnnBackwardRange(j, hh, relu, h, ho, dh, dho, dOut, doo, dpre, dpo);
  }
}
