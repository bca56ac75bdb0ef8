package org.rnn4j.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.rnn4j.math.Parallel;
import org.rnn4j.nn.Attention;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.SequenceLayout;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;

/**
 * Properties of the encoder-decoder that PyTorch fixtures cannot show: stepping equals the
 * teacher-forced pass bit for bit, padding and thread count change nothing, batch order changes
 * nothing per sentence, greedy equals a beam of one, and the gradients of the attention and the
 * bridge agree with finite differences.
 */
class Seq2SeqPropertiesTest {
  static final int BOS = 2;
  static final int EOS = 3;

  /** A random batch: sources (B, S), targets in (B, T) and out (B, T) with lengths, padding random. */
  record Batch(int[] src, int[] srcLen, int s, int[] tgtIn, int[] tgtOut, int[] tgtLen, int t) {
    static Batch random(Rng rng, int b, int maxSrc, int maxTgt, int vs, int vt) {
      int[] srcLen = new int[b];
      int[] tgtLen = new int[b];
      for (int i = 0; i < b; i++) {
        srcLen[i] = 1 + rng.nextInt(maxSrc);
        tgtLen[i] = 1 + rng.nextInt(maxTgt);
      }
      int[] src = new int[b * maxSrc];
      int[] tgtIn = new int[b * maxTgt];
      int[] tgtOut = new int[b * maxTgt];
      for (int i = 0; i < src.length; i++) {
        src[i] = rng.nextInt(vs);
      }
      for (int i = 0; i < tgtIn.length; i++) {
        tgtIn[i] = rng.nextInt(vt);
        tgtOut[i] = rng.nextInt(vt);
      }
      for (int i = 0; i < b; i++) {
        tgtIn[i * maxTgt] = BOS;
        tgtOut[i * maxTgt + tgtLen[i] - 1] = EOS;
      }
      return new Batch(src, srcLen, maxSrc, tgtIn, tgtOut, tgtLen, maxTgt);
    }

    int batch() {
      return srcLen.length;
    }
  }

  static Seq2SeqNet net(CellType cell, Attention.Kind attention, int layers, boolean bidirectional, long seed) {
    Seq2SeqNet net = new Seq2SeqNet(new Seq2SeqConfig(cell, 17, 13, 6, 8, layers, bidirectional, attention, 0f));
    net.initialize(TorchGenerator.seeded(seed));
    return net;
  }

  static final Object[][] SHAPES = {
      {CellType.GRU, Attention.Kind.ADDITIVE, 1, false}, {CellType.LSTM, Attention.Kind.GENERAL, 2, true},
      {CellType.GRU, Attention.Kind.DOT, 2, false}, {CellType.LSTM, Attention.Kind.NONE, 1, true},
  };

  static Seq2SeqNet shape(int i, long seed) {
    Object[] s = SHAPES[i];
    return net((CellType) s[0], (Attention.Kind) s[1], (Integer) s[2], (Boolean) s[3], seed);
  }

  @Test
  void stepDecoding_equalsTeacherForcedForward_bitForBit() {
    for (int shape = 0; shape < SHAPES.length; shape++) {
      Seq2SeqNet net = shape(shape, 11 + shape);
      Batch x = Batch.random(new Rng(5 + shape), 5, 7, 6, 17, 13);
      Seq2SeqNet.Workspace ws = net.newWorkspace();
      float[] logits = net.forward(ws, x.src, x.srcLen, x.s, x.tgtIn, x.tgtLen, x.t, false, null);
      SequenceLayout layout = ws.targetLayout();
      int v = 13;
      Seq2SeqNet.Decoding d = net.startDecoding(x.src, x.srcLen, x.s);
      int[] rows = new int[x.batch()];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = i;
      }
      int live = rows.length;
      for (int t = 0; live > 0; t++) {
        int[] tokens = new int[live];
        for (int r = 0; r < live; r++) {
          tokens[r] = x.tgtIn[rows[r] * x.t + t];
        }
        float[] step = d.step(tokens, rows);
        int[] parents = new int[live];
        int next = 0;
        for (int r = 0; r < live; r++) {
          int q = layout.packedRow(rows[r], t);
          assertArrayEquals(Arrays.copyOfRange(logits, q * v, (q + 1) * v), Arrays.copyOfRange(step, r * v, (r + 1) * v),
              "shape " + shape + ", sentence " + rows[r] + ", step " + t);
          if (t + 1 < x.tgtLen[rows[r]]) {
            parents[next] = r;
            rows[next++] = rows[r];
          }
        }
        if (next > 0) {
          d.keep(parents, next);
        }
        live = next;
      }
    }
  }

  @Test
  void freeRunning_feedsTheGreedyTokens_bitForBit() {
    for (int shape = 0; shape < SHAPES.length; shape++) {
      Seq2SeqNet net = shape(shape, 71 + shape);
      Batch x = Batch.random(new Rng(37 + shape), 5, 7, 6, 17, 13);
      Seq2SeqNet.Workspace ws = net.newWorkspace();
      float[] logits = net.forward(ws, x.src, x.srcLen, x.s, x.tgtIn, x.tgtLen, x.t, false, null, false);
      SequenceLayout layout = ws.targetLayout();
      int v = 13;
      Seq2SeqNet.Decoding d = net.startDecoding(x.src, x.srcLen, x.s);
      int[] tokens = new int[5];
      Arrays.fill(tokens, BOS);
      int[] rows = {0, 1, 2, 3, 4};
      for (int t = 0; t < 6; t++) {
        float[] step = d.step(tokens, rows);
        for (int i = 0; i < 5; i++) {
          if (t < x.tgtLen[i]) {
            int q = layout.packedRow(i, t);
            assertArrayEquals(Arrays.copyOfRange(logits, q * v, (q + 1) * v),
                Arrays.copyOfRange(step, i * v, (i + 1) * v), "shape " + shape + " sentence " + i + " step " + t);
          }
          tokens[i] = Seq2SeqNet.argmax(step, i * v, v);
        }
        d.keep(rows, 5);
      }
      net.loss(ws, x.tgtOut, 0f);
      net.backward(ws); // runs, and writes gradients for the predicted tokens' embedding rows
      assertTrue(ws.touchedTargetRows().size() > 0);
    }
  }

  /** Everything one forward and backward computes. */
  record Run(float[] logits, double loss, float[] grads, SequenceLayout layout) {}

  static Run run(Seq2SeqNet net, Batch x) {
    net.parameters().zeroGrad();
    Seq2SeqNet.Workspace ws = net.newWorkspace();
    float[] logits = net.forward(ws, x.src, x.srcLen, x.s, x.tgtIn, x.tgtLen, x.t, false, null);
    int n = ws.targetLayout().tokens() * net.config().targetVocabulary();
    float[] kept = Arrays.copyOf(logits, n);
    double loss = net.loss(ws, x.tgtOut, 0f).mean();
    net.backward(ws);
    return new Run(kept, loss, net.parameters().grad().clone(), ws.targetLayout());
  }

  @Test
  void padding_changesNoBit() {
    for (int shape = 0; shape < SHAPES.length; shape++) {
      Seq2SeqNet net = shape(shape, 21 + shape);
      Batch x = Batch.random(new Rng(9 + shape), 4, 5, 5, 17, 13);
      Run a = run(net, x);
      // The same pairs padded to 9 source and 8 target steps with other random ids after each end.
      Rng rng = new Rng(99);
      int s = 9;
      int t = 8;
      int[] src = new int[4 * s];
      int[] tin = new int[4 * t];
      int[] tout = new int[4 * t];
      for (int i = 0; i < src.length; i++) {
        src[i] = rng.nextInt(17);
      }
      for (int i = 0; i < tin.length; i++) {
        tin[i] = rng.nextInt(13);
        tout[i] = rng.nextInt(13);
      }
      for (int b = 0; b < 4; b++) {
        System.arraycopy(x.src, b * x.s, src, b * s, x.srcLen[b]);
        System.arraycopy(x.tgtIn, b * x.t, tin, b * t, x.tgtLen[b]);
        System.arraycopy(x.tgtOut, b * x.t, tout, b * t, x.tgtLen[b]);
      }
      Run b = run(net, new Batch(src, x.srcLen, s, tin, tout, x.tgtLen, t));
      assertArrayEquals(a.logits, b.logits, "logits, shape " + shape);
      assertEquals(a.loss, b.loss, 0.0, "loss, shape " + shape);
      assertArrayEquals(a.grads, b.grads, "gradients, shape " + shape);
    }
  }

  @Test
  void threadCount_changesNoBit() {
    int before = Parallel.threads();
    try {
      for (int shape = 0; shape < SHAPES.length; shape++) {
        Seq2SeqNet net = shape(shape, 31 + shape);
        Batch x = Batch.random(new Rng(13 + shape), 9, 8, 7, 17, 13);
        Parallel.setThreads(1);
        Run a = run(net, x);
        for (int threads : new int[] {2, 3}) {
          Parallel.setThreads(threads);
          Run b = run(net, x);
          assertArrayEquals(a.logits, b.logits, "logits, threads " + threads);
          assertEquals(a.loss, b.loss, 0.0);
          assertArrayEquals(a.grads, b.grads, "gradients, threads " + threads);
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void batchOrder_changesNoSentencesLogits() {
    Seq2SeqNet net = shape(1, 41);
    Batch x = Batch.random(new Rng(17), 5, 6, 6, 17, 13);
    int[] perm = {3, 0, 4, 2, 1};
    int b = 5;
    int[] src = new int[x.src.length];
    int[] srcLen = new int[b];
    int[] tin = new int[x.tgtIn.length];
    int[] tout = new int[x.tgtOut.length];
    int[] tgtLen = new int[b];
    for (int i = 0; i < b; i++) {
      int from = perm[i];
      System.arraycopy(x.src, from * x.s, src, i * x.s, x.s);
      System.arraycopy(x.tgtIn, from * x.t, tin, i * x.t, x.t);
      System.arraycopy(x.tgtOut, from * x.t, tout, i * x.t, x.t);
      srcLen[i] = x.srcLen[from];
      tgtLen[i] = x.tgtLen[from];
    }
    Run a = run(net, x);
    Run p = run(net, new Batch(src, srcLen, x.s, tin, tout, tgtLen, x.t));
    int v = 13;
    for (int i = 0; i < b; i++) {
      for (int t = 0; t < tgtLen[i]; t++) {
        int qa = a.layout.packedRow(perm[i], t);
        int qp = p.layout.packedRow(i, t);
        assertArrayEquals(Arrays.copyOfRange(a.logits, qa * v, qa * v + v), Arrays.copyOfRange(p.logits, qp * v, qp * v + v));
      }
    }
    // Sums over the batch run in another order: equal to float rounding (measured 3e-8).
    assertEquals(a.loss, p.loss, 1e-6);
    for (int i = 0; i < a.grads.length; i++) {
      assertEquals(a.grads[i], p.grads[i], 1e-6 + 1e-5 * Math.abs(a.grads[i]), "gradient " + i);
    }
  }

  @Test
  void greedy_equalsBeamOfOne() {
    for (int shape = 0; shape < SHAPES.length; shape++) {
      Seq2SeqNet net = shape(shape, 51 + shape);
      Batch x = Batch.random(new Rng(23 + shape), 6, 7, 2, 17, 13);
      int[] max = new int[6];
      Arrays.fill(max, 12);
      max[2] = 1;
      List<BeamSearch.Hypothesis> greedy = BeamSearch.greedy(net, x.src, x.srcLen, x.s, BOS, EOS, max);
      List<BeamSearch.Hypothesis> beam = BeamSearch.beam(net, x.src, x.srcLen, x.s, BOS, EOS, max, 1, 0f);
      for (int i = 0; i < 6; i++) {
        assertArrayEquals(greedy.get(i).tokens(), beam.get(i).tokens(), "tokens of sentence " + i);
        assertEquals(greedy.get(i).score(), beam.get(i).score(), 0.0, "score of sentence " + i);
        assertEquals(greedy.get(i).finished(), beam.get(i).finished());
        assertArrayEquals(greedy.get(i).attention(), beam.get(i).attention());
      }
      assertTrue(greedy.get(2).tokens().length <= 1, "a maximum length of 1 allows one token");
    }
  }

  @Test
  void reusedDecoding_equalsAFreshOne_bitForBit() {
    for (int shape = 0; shape < SHAPES.length; shape++) {
      Seq2SeqNet net = shape(shape, 71 + shape);
      Batch big = Batch.random(new Rng(31 + shape), 9, 9, 2, 17, 13);
      Batch small = Batch.random(new Rng(37 + shape), 3, 4, 2, 17, 13);
      int[] maxBig = new int[9];
      Arrays.fill(maxBig, 12);
      int[] maxSmall = new int[3];
      Arrays.fill(maxSmall, 8);
      Seq2SeqNet.Decoding reused = net.newDecoding();
      for (int beam : new int[] {1, 4}) {
        // a larger batch first leaves larger buffers (and stale values) behind
        BeamSearch.beam(net, reused, big.src, big.srcLen, big.s, BOS, EOS, maxBig, beam, 0f);
        List<BeamSearch.Hypothesis> again = beam == 1
            ? BeamSearch.greedy(net, reused, small.src, small.srcLen, small.s, BOS, EOS, maxSmall)
            : BeamSearch.beam(net, reused, small.src, small.srcLen, small.s, BOS, EOS, maxSmall, beam, 0f);
        List<BeamSearch.Hypothesis> fresh = beam == 1
            ? BeamSearch.greedy(net, small.src, small.srcLen, small.s, BOS, EOS, maxSmall)
            : BeamSearch.beam(net, small.src, small.srcLen, small.s, BOS, EOS, maxSmall, beam, 0f);
        for (int i = 0; i < 3; i++) {
          assertArrayEquals(fresh.get(i).tokens(), again.get(i).tokens(), "shape " + shape + " beam " + beam);
          assertEquals(fresh.get(i).score(), again.get(i).score(), 0.0, "shape " + shape + " beam " + beam);
          assertArrayEquals(fresh.get(i).attention(), again.get(i).attention());
        }
      }
    }
    Seq2SeqNet other = shape(0, 99);
    assertThrows(IllegalArgumentException.class, () -> shape(0, 98).startDecoding(new int[] {3}, new int[] {1}, 1,
        other.newDecoding()));
  }

  @Test
  void beam_scoresAtLeastGreedy_andKeepsItsScoreConsistent() {
    Seq2SeqNet net = shape(0, 61);
    Batch x = Batch.random(new Rng(29), 8, 7, 2, 17, 13);
    int[] max = new int[8];
    Arrays.fill(max, 10);
    List<BeamSearch.Hypothesis> greedy = BeamSearch.greedy(net, x.src, x.srcLen, x.s, BOS, EOS, max);
    List<BeamSearch.Hypothesis> beam = BeamSearch.beam(net, x.src, x.srcLen, x.s, BOS, EOS, max, 5, 0f);
    for (int i = 0; i < 8; i++) {
      BeamSearch.Hypothesis h = beam.get(i);
      if (greedy.get(i).finished()) {
        assertTrue(h.score() >= greedy.get(i).score() - 1e-9, "beam finds no worse a finished sentence");
      }
      // Its score is the teacher-forced log-likelihood of its own tokens.
      double rescored = logLikelihood(net, x, i, h);
      assertEquals(rescored, h.score(), 1e-4, "score of sentence " + i);
    }
  }

  private static double logLikelihood(Seq2SeqNet net, Batch x, int i, BeamSearch.Hypothesis h) {
    int n = h.tokens().length + (h.finished() ? 1 : 0);
    int[] tin = new int[n];
    int[] tout = new int[n];
    tin[0] = BOS;
    for (int k = 0; k < h.tokens().length; k++) {
      tout[k] = h.tokens()[k];
      if (k + 1 < n) {
        tin[k + 1] = h.tokens()[k];
      }
    }
    if (h.finished()) {
      tout[n - 1] = EOS;
    }
    Seq2SeqNet.Workspace ws = net.newWorkspace();
    net.forward(ws, Arrays.copyOfRange(x.src, i * x.s, (i + 1) * x.s), new int[] {x.srcLen[i]}, x.s, tin,
        new int[] {n}, n, false, null);
    return -net.loss(ws, tout, 0f).mean() * n;
  }

  /**
   * Central differences (step 1e-2) of the loss for entries of the attention's, the bridge's and
   * the decoder's first-layer parameters. The loss is smooth; the tolerance is the stack's
   * (GradientCheckProperties): 5e-4 + 2% of the analytic value, where a missing term is off by O(1).
   */
  @Property(tries = 40)
  void attentionAndBridgeGradients_matchFiniteDifferences(
      @ForAll @IntRange(min = 0, max = 3) int shapeIndex,
      @ForAll @IntRange(min = 1, max = 4) int batch,
      @ForAll long seed) {
    Seq2SeqNet net = shape(shapeIndex, seed);
    Rng rng = new Rng(seed);
    Batch x = Batch.random(rng, batch, 5, 4, 17, 13);
    Seq2SeqNet.Workspace ws = net.newWorkspace();
    net.parameters().zeroGrad();
    net.forward(ws, x.src, x.srcLen, x.s, x.tgtIn, x.tgtLen, x.t, false, null);
    net.loss(ws, x.tgtOut, 0f);
    net.backward(ws);
    int checked = 0;
    for (Parameter p : net.parameters().parameters()) {
      String name = p.name();
      if (!(name.startsWith("attn_") || name.startsWith("bridge") || name.startsWith("decoder.weight_ih_l0")
          || name.startsWith("encoder.weight_hh_l0"))) {
        continue;
      }
      float[] data = p.data();
      float[] grad = p.gradient();
      for (int k = 0; k < 6; k++) {
        int i = rng.nextInt(p.size());
        int at = p.offset() + i;
        float keep = data[at];
        float h = 1e-2f;
        data[at] = keep + h;
        net.parameters().touch();
        double up = loss(net, x);
        data[at] = keep - h;
        net.parameters().touch();
        double down = loss(net, x);
        data[at] = keep;
        net.parameters().touch();
        double fd = (up - down) / (2 * h);
        double tol = 5e-4 + 2e-2 * Math.abs(grad[i]);
        assertTrue(Math.abs(fd - grad[i]) <= tol, String.format(Locale.ROOT, "%s[%d]: finite difference %.6g, analytic %.6g",
            name, i, fd, grad[i]));
        checked++;
      }
    }
    assertTrue(checked > 0);
  }

  private static double loss(Seq2SeqNet net, Batch x) {
    Seq2SeqNet.Workspace ws = net.newWorkspace();
    net.forward(ws, x.src, x.srcLen, x.s, x.tgtIn, x.tgtLen, x.t, false, null);
    return net.loss(ws, x.tgtOut, 0f).mean();
  }
}
