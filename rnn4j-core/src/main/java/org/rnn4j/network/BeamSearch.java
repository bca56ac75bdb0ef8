package org.rnn4j.network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.math.Ops;
import org.rnn4j.math.Parallel;
import org.rnn4j.nn.SoftmaxCrossEntropy;

/**
 * Decoding of a {@link Seq2SeqNet}, batched over sentences: greedy, and beam search with GNMT's
 * length penalty lp(len) = ((5 + len) / 6)^α (Wu et al. 2016, eq. 14), where len counts the tokens
 * including eos.
 *
 * <p>Beam search keeps, per sentence, the K best unfinished hypotheses. Each step ranks the
 * candidates of all of a sentence's hypotheses by summed log-probability (ties: earlier hypothesis,
 * then lower token id) and takes the first 2K: an eos among the first K finishes its hypothesis
 * (fairseq's rule), the first K others go on. A sentence stops once it has K finished hypotheses
 * and no unfinished one can still beat the K-th best of them (log-probabilities only fall, so the
 * bound is the best unfinished score divided by the penalty of the longest allowed length), or at
 * its maximum length, where the unfinished hypotheses count as finished without eos. The result is
 * the finished hypothesis of best score / lp. With K = 1 and α = 0 it gives greedy decoding's
 * tokens and score, bit for bit (tested). Log-probabilities are logits minus each row's log Σ exp,
 * taken with float exponentials on the Vector API ({@link SoftmaxCrossEntropy#logSumExpFloat}): over a
 * vocabulary of thousands, double ones would take most of the decoding time.
 */
public final class BeamSearch {
  /** Values per part below which a parallel loop over rows gives each thread too little to do. */
  private static final int ROW_GRAIN = 1 << 15;

  private BeamSearch() {}

  /**
   * One decoded sentence.
   *
   * @param tokens     the output ids, without eos
   * @param score      Σ log p of the tokens, eos included when it was emitted
   * @param normalized score / lp(len)
   * @param finished   whether eos was emitted (else the maximum length stopped it)
   * @param attention  (tokens + 1 if finished, S) the attention weights of each output step
   * @param sourceSteps S, the row length of {@code attention}
   */
  public record Hypothesis(int[] tokens, double score, double normalized, boolean finished, float[] attention,
                           int sourceSteps) {}

  private record Node(int token, Node parent, double score, float[] attention, int length) {
    int[] tokens(boolean withoutLast) {
      int n = withoutLast ? length - 1 : length;
      int[] out = new int[n];
      Node p = withoutLast ? parent : this;
      for (int i = n - 1; i >= 0; i--, p = p.parent) {
        out[i] = p.token;
      }
      return out;
    }

    float[] attentionRows(int steps) {
      float[] out = new float[length * steps];
      Node p = this;
      for (int i = length - 1; i >= 0; i--, p = p.parent) {
        System.arraycopy(p.attention, 0, out, i * steps, steps);
      }
      return out;
    }
  }

  /**
   * Greedy decoding: each sentence takes the most likely token (the lowest id among equals) until
   * eos or maxLengths[b] tokens.
   *
   * @param source  (B, S) ids; row b's first lengths[b] are read
   * @param maxLengths (B) most output tokens per sentence, eos included, each >= 1
   */
  public static List<Hypothesis> greedy(Seq2SeqNet net, int[] source, int[] lengths, int steps, int bos, int eos,
                                        int[] maxLengths) {
    return greedy(net, net.newDecoding(), source, lengths, steps, bos, eos, maxLengths);
  }

  /** {@link #greedy} in the buffers of a decoding reused batch after batch ({@link Seq2SeqNet#newDecoding}). */
  public static List<Hypothesis> greedy(Seq2SeqNet net, Seq2SeqNet.Decoding reuse, int[] source, int[] lengths,
                                        int steps, int bos, int eos, int[] maxLengths) {
    int b = lengths.length;
    int v = net.config().targetVocabulary();
    checkArguments(b, v, bos, eos, maxLengths);
    Seq2SeqNet.Decoding d = net.startDecoding(source, lengths, steps, reuse);
    int s0 = d.sourceSteps();
    int[][] outputs = new int[b][];
    float[][] attention = new float[b][];
    double[] score = new double[b];
    boolean[] ended = new boolean[b];
    int[] produced = new int[b];
    int[] sentence = new int[b];
    int[] tokens = new int[b];
    for (int i = 0; i < b; i++) {
      sentence[i] = i;
      tokens[i] = bos;
      outputs[i] = new int[maxLengths[i]];
      attention[i] = new float[maxLengths[i] * s0];
    }
    int rows = b;
    int[] parents = new int[b];
    double[] logZ = new double[b];
    int[] best = new int[b];
    while (rows > 0) {
      float[] logits = d.step(tokens, sentence);
      float[] weights = d.attention();
      // Rows are independent: threads split them, each row read while it is in cache.
      Parallel.forRange(rows, Math.max(1, ROW_GRAIN / v), 1, (lo, hi) -> {
        for (int r = lo; r < hi; r++) {
          best[r] = Seq2SeqNet.argmax(logits, r * v, v);
          logZ[r] = SoftmaxCrossEntropy.logSumExpFloat(logits, r * v, v);
        }
      });
      int next = 0;
      for (int r = 0; r < rows; r++) {
        int i = sentence[r];
        int y = best[r];
        score[i] += logits[r * v + y] - logZ[r];
        System.arraycopy(weights, r * s0, attention[i], produced[i] * s0, s0);
        outputs[i][produced[i]++] = y;
        if (y == eos) {
          ended[i] = true;
        } else if (produced[i] < maxLengths[i]) {
          parents[next] = r;
          sentence[next] = i;
          tokens[next] = y;
          next++;
        }
      }
      if (next > 0) {
        d.keep(parents, next);
      }
      rows = next;
    }
    List<Hypothesis> out = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      int n = produced[i];
      out.add(new Hypothesis(Arrays.copyOf(outputs[i], ended[i] ? n - 1 : n), score[i], score[i], ended[i],
          Arrays.copyOf(attention[i], n * s0), s0));
    }
    return out;
  }

  private static void checkArguments(int b, int v, int bos, int eos, int[] maxLengths) {
    if (maxLengths.length != b) {
      throw new IllegalArgumentException("maxLengths has " + maxLengths.length + " entries for " + b + " sentences");
    }
    for (int i = 0; i < b; i++) {
      if (maxLengths[i] < 1) {
        throw new IllegalArgumentException("maxLengths[" + i + "] must be >= 1, got " + maxLengths[i]);
      }
    }
    checkId("bos", bos, v);
    checkId("eos", eos, v);
  }

  /** Beam search with K hypotheses per sentence and length penalty α >= 0; see the class comment. */
  public static List<Hypothesis> beam(Seq2SeqNet net, int[] source, int[] lengths, int steps, int bos, int eos,
                                      int[] maxLengths, int beam, float alpha) {
    return beam(net, net.newDecoding(), source, lengths, steps, bos, eos, maxLengths, beam, alpha);
  }

  /** {@link #beam} in the buffers of a decoding reused batch after batch ({@link Seq2SeqNet#newDecoding}). */
  public static List<Hypothesis> beam(Seq2SeqNet net, Seq2SeqNet.Decoding reuse, int[] source, int[] lengths,
                                      int steps, int bos, int eos, int[] maxLengths, int beam, float alpha) {
    int b = lengths.length;
    int v = net.config().targetVocabulary();
    if (beam < 1) {
      throw new IllegalArgumentException("beam must be >= 1, got " + beam);
    }
    if (!(alpha >= 0f) || Float.isInfinite(alpha)) {
      throw new IllegalArgumentException("length penalty must be a finite number >= 0, got " + alpha);
    }
    checkArguments(b, v, bos, eos, maxLengths);
    Seq2SeqNet.Decoding d = net.startDecoding(source, lengths, steps, reuse);
    int s0 = d.sourceSteps();
    // The rows of the decoding: per row its sentence and its hypothesis so far (null: only bos).
    int[] sentence = new int[b];
    Node[] nodes = new Node[b];
    for (int i = 0; i < b; i++) {
      sentence[i] = i;
    }
    List<List<Node>> finished = new ArrayList<>();
    List<List<Boolean>> withEos = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      finished.add(new ArrayList<>());
      withEos.add(new ArrayList<>());
    }
    int rows = b;
    int[] tokens = new int[b];
    Arrays.fill(tokens, bos);
    double[] logZ = new double[b * beam];
    int width = 2 * beam;
    for (int step = 0; rows > 0; step++) {
      float[] logits = d.step(tokens, sentence);
      float[] weights = d.attention();
      int[] nextParents = new int[rows * beam];
      Node[] nextNodes = new Node[rows * beam];
      int[] nextSentence = new int[rows * beam];
      int next = 0;
      logZ = logZ.length >= rows ? logZ : new double[rows];
      // Each sentence's rows are consecutive: group g is rows [start[g], start[g + 1]).
      int[] start = new int[rows + 1];
      int groups = 0;
      for (int r = 0; r < rows; r++) {
        if (r == 0 || sentence[r] != sentence[r - 1]) {
          start[groups++] = r;
        }
      }
      start[groups] = rows;
      int[] candRowAll = new int[groups * width];
      int[] candTokenAll = new int[groups * width];
      double[] candScoreAll = new double[groups * width];
      int[] keptAll = new int[groups];
      Node[] parents = nodes;
      double[] z = logZ;
      // The 2K best candidates of each sentence, best first; sentences are independent, so threads split
      // them, and each row's log Σ exp is taken just before its candidates, while the row is in cache.
      Parallel.forRange(groups, 1, 1, (lo, hi) -> {
        for (int g = lo; g < hi; g++) {
          for (int r = start[g]; r < start[g + 1]; r++) {
            z[r] = SoftmaxCrossEntropy.logSumExpFloat(logits, r * v, v);
          }
          keptAll[g] = topCandidates(logits, v, z, parents, start[g], start[g + 1], width, g * width, candScoreAll,
              candRowAll, candTokenAll);
        }
      });
      for (int g = 0; g < groups; g++) {
        int i = sentence[start[g]];
        int kept = keptAll[g];
        int c0 = g * width;
        boolean last = step + 1 >= maxLengths[i];
        List<Node> done = finished.get(i);
        List<Boolean> eosFlags = withEos.get(i);
        int alive = 0;
        int aliveStart = next;
        for (int c = 0; c < kept; c++) {
          int r = candRowAll[c0 + c];
          boolean isEos = candTokenAll[c0 + c] == eos;
          if (isEos && c >= beam || !isEos && alive == beam) {
            continue;
          }
          float[] att = Arrays.copyOfRange(weights, r * s0, (r + 1) * s0);
          Node parent = nodes[r];
          Node n = new Node(candTokenAll[c0 + c], parent, candScoreAll[c0 + c], att,
              parent == null ? 1 : parent.length + 1);
          if (isEos || last) {
            done.add(n);
            eosFlags.add(isEos);
            if (!isEos) {
              alive++; // counts towards the K taken at the last step
            }
          } else {
            nextParents[next] = r;
            nextNodes[next] = n;
            nextSentence[next] = i;
            next++;
            alive++;
          }
        }
        if (!last && stop(done, nextNodes, aliveStart, next, beam, alpha, maxLengths[i])) {
          next = aliveStart; // the sentence is done: its unfinished hypotheses are dropped
        }
      }
      if (next == 0) {
        break;
      }
      d.keep(nextParents, next);
      nodes = Arrays.copyOf(nextNodes, next);
      sentence = Arrays.copyOf(nextSentence, next);
      tokens = new int[next];
      for (int r = 0; r < next; r++) {
        tokens[r] = nodes[r].token;
      }
      rows = next;
    }
    List<Hypothesis> out = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      List<Node> done = finished.get(i);
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < done.size(); k++) {
        double norm = done.get(k).score / penalty(done.get(k).length, alpha);
        if (best < 0 || norm > bestScore) {
          best = k;
          bestScore = norm;
        }
      }
      Node n = done.get(best);
      boolean eosEnd = withEos.get(i).get(best);
      out.add(new Hypothesis(n.tokens(eosEnd), n.score, bestScore, eosEnd, n.attentionRows(s0), s0));
    }
    return out;
  }

  /**
   * The best candidates (score, row, token) of rows [r0, r1), at most width, best first (ties: lower
   * row, then lower token), into the arrays from offset o; returns how many.
   */
  private static int topCandidates(float[] logits, int v, double[] logZ, Node[] nodes, int r0, int r1, int width,
                                   int o, double[] candScore, int[] candRow, int[] candToken) {
    int kept = 0;
    int want = (int) Math.min(width, (long) (r1 - r0) * v);
    for (int r = r0; r < r1; r++) {
      double base = nodes[r] == null ? 0 : nodes[r].score;
      // Most logits cannot enter the list: a float comparison against the logit the worst kept
      // candidate's score needs (rounded down, so no candidate is missed) skips them; the exact
      // comparison in double decides for the rest.
      float cut = kept == want ? Math.nextDown((float) (candScore[o + kept - 1] - base + logZ[r]))
          : Float.NEGATIVE_INFINITY;
      int end = (r + 1) * v;
      for (int q = Ops.firstNotBelow(logits, r * v, end, cut); q < end;
           q = Ops.firstNotBelow(logits, q + 1, end, cut)) {
        int j = q - r * v;
        double sc = base + (logits[q] - logZ[r]);
        if (kept == want && !(sc > candScore[o + kept - 1])) {
          continue;
        }
        int at = kept == want ? want - 1 : kept++;
        while (at > 0 && sc > candScore[o + at - 1]) {
          candScore[o + at] = candScore[o + at - 1];
          candRow[o + at] = candRow[o + at - 1];
          candToken[o + at] = candToken[o + at - 1];
          at--;
        }
        candScore[o + at] = sc;
        candRow[o + at] = r;
        candToken[o + at] = j;
        if (kept == want) {
          cut = Math.nextDown((float) (candScore[o + kept - 1] - base + logZ[r]));
        }
      }
    }
    return kept;
  }

  private static boolean stop(List<Node> done, Node[] alive, int from, int to, int beam, float alpha, int maxLength) {
    if (to == from) {
      return true;
    }
    if (done.size() < beam) {
      return false;
    }
    double[] norms = new double[done.size()];
    for (int k = 0; k < norms.length; k++) {
      norms[k] = done.get(k).score / penalty(done.get(k).length, alpha);
    }
    Arrays.sort(norms);
    double kthBest = norms[norms.length - beam];
    double bestAlive = Double.NEGATIVE_INFINITY;
    for (int r = from; r < to; r++) {
      bestAlive = Math.max(bestAlive, alive[r].score);
    }
    return bestAlive / penalty(maxLength, alpha) <= kthBest;
  }

  /** GNMT's length penalty ((5 + len) / 6)^α. */
  static double penalty(int length, float alpha) {
    return alpha == 0f ? 1.0 : Math.pow((5.0 + length) / 6.0, alpha);
  }


  private static void checkId(String name, int id, int v) {
    if (id < 0 || id >= v) {
      throw new IllegalArgumentException(name + " id " + id + " is outside the target vocabulary [0, " + v + ")");
    }
  }
}
