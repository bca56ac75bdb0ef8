package org.rnn4j.classify;

import java.util.Arrays;
import java.util.Comparator;
import org.rnn4j.random.PythonRandom;
import org.rnn4j.random.Rng;

/**
 * The order of the training examples in each epoch, drawn as torch_agnews.py draws it:
 * {@code random.seed(seed)} once, then {@code random.shuffle} of 0..n-1 at the start of every
 * epoch; bucketed by length when asked. A resumed run replays the earlier epochs' shuffles, so no
 * generator state is checkpointed.
 */
public final class ExampleOrder {
  /** Sequences sorted by length within a window of this many batches, when bucketing. */
  private static final int BUCKET_WINDOW_BATCHES = 50;

  private final long seed;
  private final int[] lengths;
  private final int batch;
  private final boolean bucket;
  private PythonRandom shuffler;
  private int shuffledEpochs;

  /**
   * @param lengths each example's length in tokens (bucketing sorts by it); the order needs nothing
   *                else of the data, so a distributed run computes it from the lengths alone
   */
  public ExampleOrder(long seed, int[] lengths, int batch, boolean bucket) {
    this.seed = seed;
    this.lengths = lengths;
    this.batch = batch;
    this.bucket = bucket;
  }

  /** Epoch e's order of the example indices. */
  public int[] of(int e) {
    int n = lengths.length;
    if (shuffler == null || shuffledEpochs >= e) {
      shuffler = new PythonRandom(seed);
      shuffledEpochs = 0;
    }
    int[] order = new int[n];
    while (shuffledEpochs < e) {
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      shuffler.shuffle(order, n);
      shuffledEpochs++;
    }
    if (bucket) {
      bucket(order, new Rng(seed * 0x9E3779B97F4A7C15L + e * 0xC2B2AE3D27D4EB4FL));
    }
    return order;
  }

  /** Sorts windows of batches by length, then shuffles whole batches. */
  private void bucket(int[] order, Rng r) {
    int window = batch * BUCKET_WINDOW_BATCHES;
    for (int w = 0; w < order.length; w += window) {
      int end = Math.min(order.length, w + window);
      Integer[] part = new Integer[end - w];
      for (int i = 0; i < part.length; i++) {
        part[i] = order[w + i];
      }
      Arrays.sort(part, Comparator.comparingInt(i -> lengths[i]));
      for (int i = 0; i < part.length; i++) {
        order[w + i] = part[i];
      }
    }
    int nb = (order.length + batch - 1) / batch;
    int[] perm = new int[nb];
    for (int i = 0; i < nb; i++) {
      perm[i] = i;
    }
    r.shuffle(perm);
    int[] copy = order.clone();
    int pos = 0;
    for (int bi : perm) {
      for (int i = bi * batch; i < Math.min(copy.length, (bi + 1) * batch); i++) {
        order[pos++] = copy[i];
      }
    }
  }
}
