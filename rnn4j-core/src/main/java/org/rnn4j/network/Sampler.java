package org.rnn4j.network;

import java.util.Arrays;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.random.Rng;

/**
 * Picks the next token from a row of logits: greedy (argmax), or a draw from softmax(logits / T)
 * restricted to the k most likely tokens and/or the smallest set whose probability reaches p
 * (nucleus). Excluded ids (padding, unknown) are never returned. A sampler holds its random
 * generator and scratch buffers, so use one per generating thread.
 */
public final class Sampler {
  private final boolean greedy;
  private final double temperature;
  private final int topK;
  private final double topP;
  private final Rng rng;
  private final boolean[] excluded;
  private double[] probs = new double[0];
  private Integer[] order = new Integer[0];

  private Sampler(boolean greedy, double temperature, int topK, double topP, long seed, int vocabulary,
                  int[] excludedIds) {
    if (!greedy && !(temperature > 0 && Double.isFinite(temperature))) {
      throw new InvalidSettingException("{temperature} must be > 0, got " + temperature
          + " (use {greedy} for the most likely token)");
    }
    if (topK < 0) {
      throw new InvalidSettingException("{topK} must be >= 0 (0 keeps every token), got " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new InvalidSettingException("{topP} must be in (0, 1], got " + topP);
    }
    this.greedy = greedy;
    this.temperature = temperature;
    this.topK = topK;
    this.topP = topP;
    this.rng = new Rng(seed);
    this.excluded = new boolean[vocabulary];
    for (int id : excludedIds) {
      if (id >= 0 && id < vocabulary) {
        excluded[id] = true;
      }
    }
    int allowed = 0;
    for (boolean e : excluded) {
      allowed += e ? 0 : 1;
    }
    if (allowed == 0) {
      throw new IllegalArgumentException("every token of the vocabulary is excluded from sampling");
    }
  }

  /** The most likely token each time. */
  public static Sampler greedy(int vocabulary, int... excludedIds) {
    return new Sampler(true, 1, 0, 1, 0, vocabulary, excludedIds);
  }

  /**
   * Random draws.
   *
   * @param temperature > 0; below 1 sharpens the distribution, above 1 flattens it
   * @param topK        keep only the k most likely tokens; 0 keeps all
   * @param topP        keep the smallest set of most likely tokens whose probability is >= p; 1 keeps all
   */
  public static Sampler random(double temperature, int topK, double topP, long seed, int vocabulary,
                               int... excludedIds) {
    return new Sampler(false, temperature, topK, topP, seed, vocabulary, excludedIds);
  }

  /** The next token for logits[off, off + V). */
  public int sample(float[] logits, int off) {
    int v = excluded.length;
    if (greedy) {
      int best = -1;
      for (int j = 0; j < v; j++) {
        if (!excluded[j] && (best < 0 || logits[off + j] > logits[off + best])) {
          best = j;
        }
      }
      return best;
    }
    if (probs.length < v) {
      probs = new double[v];
      order = new Integer[v];
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < v; j++) {
      if (!excluded[j]) {
        max = Math.max(max, logits[off + j] / temperature);
      }
    }
    double sum = 0;
    int n = 0;
    for (int j = 0; j < v; j++) {
      double p = excluded[j] ? 0 : Math.exp(logits[off + j] / temperature - max);
      probs[j] = p;
      sum += p;
      if (!excluded[j]) {
        order[n++] = j;
      }
    }
    int keep = n;
    if (topK > 0 || topP < 1) {
      Arrays.sort(order, 0, n, (a, b) -> a.equals(b) ? 0 : probs[b] != probs[a]
          ? Double.compare(probs[b], probs[a]) : Integer.compare(a, b));
      if (topK > 0) {
        keep = Math.min(keep, topK);
      }
      if (topP < 1) {
        double cum = 0;
        for (int i = 0; i < keep; i++) {
          cum += probs[order[i]] / sum;
          if (cum >= topP) {
            keep = i + 1;
            break;
          }
        }
      }
      sum = 0;
      for (int i = 0; i < keep; i++) {
        sum += probs[order[i]];
      }
    }
    double u = rng.nextDouble() * sum;
    double acc = 0;
    for (int i = 0; i < keep; i++) {
      acc += probs[order[i]];
      if (u < acc) {
        return order[i];
      }
    }
    return order[keep - 1];
  }
}
