package org.rnn4j.text;

/**
 * A padded batch of token sequences: tokens (B, T) row-major, right-padded with {@code pad}, and each
 * sequence's own length, ready for the variable-length core.
 */
public final class Batch {
  public final int size;
  public final int paddedLength;
  public final int[] tokens;
  public final int[] lengths;
  public final int[] labels;
  public final long tokenCount;

  private Batch(int size, int paddedLength, int[] tokens, int[] lengths, int[] labels, long tokenCount) {
    this.size = size;
    this.paddedLength = paddedLength;
    this.tokens = tokens;
    this.lengths = lengths;
    this.labels = labels;
    this.tokenCount = tokenCount;
  }

  /**
   * Batch of sequences {@code ids[order[from..to)]} (each truncated to maxLength when > 0), with
   * their labels (or null).
   */
  public static Batch of(int[][] ids, int[] labels, int[] order, int from, int to, int pad, int maxLength) {
    int b = to - from;
    int t = 1;
    for (int i = from; i < to; i++) {
      t = Math.max(t, clip(ids[order[i]].length, maxLength));
    }
    int[] tokens = new int[b * t];
    int[] lengths = new int[b];
    int[] ys = labels == null ? null : new int[b];
    long count = 0;
    for (int i = 0; i < b; i++) {
      int[] s = ids[order[from + i]];
      int len = clip(s.length, maxLength);
      if (len == 0) {
        throw new IllegalArgumentException("sequence " + order[from + i] + " is empty");
      }
      System.arraycopy(s, 0, tokens, i * t, len);
      java.util.Arrays.fill(tokens, i * t + len, (i + 1) * t, pad);
      lengths[i] = len;
      count += len;
      if (ys != null) {
        ys[i] = labels[order[from + i]];
      }
    }
    return new Batch(b, t, tokens, lengths, ys, count);
  }

  private static int clip(int len, int maxLength) {
    return maxLength > 0 ? Math.min(len, maxLength) : len;
  }
}
