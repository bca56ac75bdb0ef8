package org.rnn4j.nn;

/** The distinct rows of a matrix that a batch touched, in first-touch order; cleared per batch. */
public final class RowSet {
  private boolean[] marked = new boolean[0];
  private int[] rows = new int[0];
  private int count;

  void add(int row) {
    if (row >= marked.length) {
      marked = java.util.Arrays.copyOf(marked, Math.max(row + 1, marked.length * 2));
    }
    if (!marked[row]) {
      marked[row] = true;
      if (count == rows.length) {
        rows = java.util.Arrays.copyOf(rows, Math.max(16, count * 2));
      }
      rows[count++] = row;
    }
  }

  /** The rows; valid up to {@link #size()}. */
  public int[] rows() {
    return rows;
  }

  public int size() {
    return count;
  }

  public void clear() {
    for (int i = 0; i < count; i++) {
      marked[rows[i]] = false;
    }
    count = 0;
  }
}
