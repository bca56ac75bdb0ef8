package org.rnn4j.spark;

import java.io.Serializable;

/**
 * One partition's examples, encoded: example {@code start + i} of the data set has token ids
 * {@code ids[i]} and label {@code labels[i]}. A partition is one Shard, cached on its executor, so
 * a step finds its examples by index without touching rows.
 *
 * @param start  global index of the first example (indices are consecutive across partitions)
 * @param ids    (n, length_i) token ids, cut to the run's maximum length
 * @param labels (n) class indices
 */
record Shard(long start, int[][] ids, int[] labels) implements Serializable {
  int size() {
    return ids.length;
  }

  boolean holds(long index) {
    return index >= start && index < start + ids.length;
  }
}
