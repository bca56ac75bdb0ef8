package org.rnn4j.nn;

import java.util.Arrays;

/**
 * How a batch of variable-length sequences is laid out in packed, time-major order, exactly as
 * PyTorch's {@code pack_padded_sequence(enforce_sorted=False)} does it.
 *
 * <p>Sequences are ranked by length, longest first (ties keep batch order). Step t holds the
 * {@code batchSize(t)} sequences still running, so packed row {@code stepOffset(t) + r} is sequence
 * {@code order(r)} at time t. Every layer works on these N = Σ lengths rows and never sees padding,
 * which is why padding a batch further cannot change any output or gradient.
 *
 * <p>The reverse direction uses the same ranks with time mirrored per sequence: reverse row
 * {@code stepOffset(s) + r} is sequence {@code order(r)} at time {@code length - 1 - s};
 * {@link #reverseToForward(int)} maps it back.
 */
public final class SequenceLayout {
  private final int batch;
  private final int paddedLength;
  private final int[] lengths;
  private final int[] order;
  private final int[] rank;
  private final int[] batchSizes;
  private final int[] stepOffsets;
  private final int tokens;
  private final int[] reverseToForward;

  private SequenceLayout(int[] lengths, int paddedLength) {
    this.batch = lengths.length;
    this.paddedLength = paddedLength;
    this.lengths = lengths.clone();
    Integer[] idx = new Integer[batch];
    for (int i = 0; i < batch; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Integer.compare(lengths[b], lengths[a]));
    order = new int[batch];
    rank = new int[batch];
    for (int r = 0; r < batch; r++) {
      order[r] = idx[r];
      rank[idx[r]] = r;
    }
    int maxLen = lengths[order[0]];
    batchSizes = new int[maxLen];
    stepOffsets = new int[maxLen + 1];
    int r = batch;
    for (int t = 0; t < maxLen; t++) {
      while (r > 0 && lengths[order[r - 1]] <= t) {
        r--;
      }
      batchSizes[t] = r;
      stepOffsets[t + 1] = stepOffsets[t] + r;
    }
    tokens = stepOffsets[maxLen];
    reverseToForward = new int[tokens];
    for (int s = 0; s < maxLen; s++) {
      for (int q = 0; q < batchSizes[s]; q++) {
        int t = lengths[order[q]] - 1 - s;
        reverseToForward[stepOffsets[s] + q] = stepOffsets[t] + q;
      }
    }
  }

  /**
   * Layout for sequences of the given lengths inside a padded (B, T) batch.
   *
   * @throws IllegalArgumentException when the batch is empty or a length is outside 1..T
   */
  public static SequenceLayout of(int[] lengths, int paddedLength) {
    if (lengths == null || lengths.length == 0) {
      throw new IllegalArgumentException("lengths must name at least one sequence");
    }
    if (paddedLength < 1) {
      throw new IllegalArgumentException("padded length T must be >= 1, got " + paddedLength);
    }
    for (int b = 0; b < lengths.length; b++) {
      if (lengths[b] < 1 || lengths[b] > paddedLength) {
        throw new IllegalArgumentException("lengths[" + b + "] = " + lengths[b]
            + " is outside 1.." + paddedLength);
      }
    }
    return new SequenceLayout(lengths, paddedLength);
  }

  /** Layout for B sequences that all have length T. */
  public static SequenceLayout uniform(int batch, int length) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    int[] l = new int[batch];
    Arrays.fill(l, length);
    return of(l, length);
  }

  public int batch() {
    return batch;
  }

  /** T of the padded (B, T) view. */
  public int paddedLength() {
    return paddedLength;
  }

  /** Number of time steps actually run: the longest length. */
  public int steps() {
    return batchSizes.length;
  }

  /** N, the number of real (unpadded) tokens, which is the number of packed rows. */
  public int tokens() {
    return tokens;
  }

  public int length(int b) {
    return lengths[b];
  }

  /** Batch index of the sequence with rank r (0 = longest). */
  public int order(int r) {
    return order[r];
  }

  /** Rank of batch entry b. */
  public int rank(int b) {
    return rank[b];
  }

  /** Length of the sequence with rank r. */
  public int lengthOfRank(int r) {
    return lengths[order[r]];
  }

  /** Number of sequences running at step t; they are ranks 0..batchSize(t)-1. */
  public int batchSize(int t) {
    return batchSizes[t];
  }

  /** First packed row of step t; {@code stepOffset(steps())} equals {@link #tokens()}. */
  public int stepOffset(int t) {
    return stepOffsets[t];
  }

  /** Packed row of batch entry b at time t (t < length(b)). */
  public int packedRow(int b, int t) {
    return stepOffsets[t] + rank[b];
  }

  /** {batch index, time} of a packed row. */
  public int[] locate(int row) {
    if (row < 0 || row >= tokens) {
      throw new IllegalArgumentException("packed row " + row + " is outside 0.." + (tokens - 1));
    }
    int t = 0;
    while (stepOffsets[t + 1] <= row) {
      t++;
    }
    return new int[] {order[row - stepOffsets[t]], t};
  }

  /** Forward packed row that reverse packed row q refers to. */
  public int reverseToForward(int q) {
    return reverseToForward[q];
  }

  int[] reverseMap() {
    return reverseToForward;
  }

  /** Packs a batch-first (B, T, dim) array into (N, dim) rows; padded steps are never read. */
  public void pack(float[] src, int dim, float[] dst) {
    for (int t = 0; t < batchSizes.length; t++) {
      for (int r = 0; r < batchSizes[t]; r++) {
        int b = order[r];
        System.arraycopy(src, (b * paddedLength + t) * dim, dst, (stepOffsets[t] + r) * dim, dim);
      }
    }
  }

  /** Unpacks (N, dim) rows into a batch-first (B, T, dim) array with zeros at padded steps. */
  public void unpack(float[] src, int dim, float[] dst) {
    Arrays.fill(dst, 0, batch * paddedLength * dim, 0f);
    for (int t = 0; t < batchSizes.length; t++) {
      for (int r = 0; r < batchSizes[t]; r++) {
        int b = order[r];
        System.arraycopy(src, (stepOffsets[t] + r) * dim, dst, (b * paddedLength + t) * dim, dim);
      }
    }
  }

  /** (B, dim) in batch order → (B, dim) in rank order. */
  public void toRankOrder(float[] src, int srcOff, float[] dst, int dstOff, int dim) {
    for (int r = 0; r < batch; r++) {
      System.arraycopy(src, srcOff + order[r] * dim, dst, dstOff + r * dim, dim);
    }
  }

  /** (B, dim) in rank order → (B, dim) in batch order. */
  public void toBatchOrder(float[] src, int srcOff, float[] dst, int dstOff, int dim) {
    for (int r = 0; r < batch; r++) {
      System.arraycopy(src, srcOff + r * dim, dst, dstOff + order[r] * dim, dim);
    }
  }

  /**
   * Splits ranks [0, B) into {@code parts} contiguous groups carrying about the same number of
   * tokens, so threads that each run the time loop for one group finish together.
   */
  public int[] balancedRankSplit(int parts) {
    parts = Math.max(1, Math.min(parts, batch));
    int[] bounds = new int[parts + 1];
    long total = tokens;
    long acc = 0;
    int r = 0;
    for (int p = 1; p < parts; p++) {
      long target = total * p / parts;
      while (r < batch && acc + lengths[order[r]] / 2 < target) {
        acc += lengths[order[r]];
        r++;
      }
      bounds[p] = Math.max(r, bounds[p - 1]);
    }
    bounds[parts] = batch;
    return bounds;
  }
}
