package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rnn4j.math.Parallel;
import org.rnn4j.random.Rng;

class EmbeddingTest {
  private static final int VOCABULARY = 5000;
  private static final int DIM = 64; // 1024 rows per part: 3000 rows run in parallel
  private static final int PADDING = 7;

  @Test
  void forward_gathersTheRowsOnAnyThreadCount() {
    Embedding e = embedding();
    int[] ids = distinctIds(3000);
    float[] w = e.weight().data();
    float[] expected = new float[ids.length * DIM];
    for (int s = 0; s < ids.length; s++) {
      System.arraycopy(w, e.weight().offset() + ids[s] * DIM, expected, s * DIM, DIM);
    }
    onThreads(threads -> {
      float[] out = new float[ids.length * DIM];
      e.forward(ids, ids.length, out);
      assertArrayEquals(expected, out, "threads=" + threads);
    });
  }

  @Test
  void backwardDistinct_addsWhatBackwardAddsOnAnyThreadCount() {
    int[] ids = distinctIds(3000);
    Rng rng = new Rng(5);
    float[] dRows = new float[ids.length * DIM];
    for (int i = 0; i < dRows.length; i++) {
      dRows[i] = (float) rng.nextGaussian();
    }
    Embedding serial = embedding();
    RowSet serialRows = new RowSet();
    serial.backward(ids, ids.length, dRows, serialRows);
    onThreads(threads -> {
      Embedding parallel = embedding();
      RowSet rows = new RowSet();
      parallel.backwardDistinct(ids, ids.length, dRows, rows);
      assertArrayEquals(serial.weight().grad(), parallel.weight().grad(), "threads=" + threads);
      assertEquals(serialRows.size(), rows.size());
      assertEquals(ids.length - 1, rows.size(), "every id but the padding row");
      assertArrayEquals(Arrays.copyOf(serialRows.rows(), rows.size()), Arrays.copyOf(rows.rows(), rows.size()));
    });
  }

  /** An embedding with random weights and a random gradient already in place. */
  private static Embedding embedding() {
    ParameterSet params = new ParameterSet();
    Embedding e = new Embedding(params, "embedding.weight", VOCABULARY, DIM, PADDING);
    Rng rng = new Rng(3);
    float[] w = e.weight().data();
    float[] g = e.weight().grad();
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rng.nextGaussian();
      g[i] = (float) rng.nextGaussian();
    }
    return e;
  }

  /** n different ids in random order, the padding index among them. */
  private static int[] distinctIds(int n) {
    Rng rng = new Rng(11);
    int[] all = new int[VOCABULARY];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    for (int i = all.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] ids = Arrays.copyOf(all, n);
    ids[n / 2] = PADDING;
    for (int i = 0; i < n; i++) { // keep them distinct: PADDING may have been drawn elsewhere
      if (i != n / 2 && ids[i] == PADDING) {
        ids[i] = all[n];
      }
    }
    return ids;
  }

  private interface ThreadCase {
    void run(int threads);
  }

  private static void onThreads(ThreadCase c) {
    int before = Parallel.threads();
    try {
      for (int threads : new int[] {1, 2, 3}) {
        Parallel.setThreads(threads);
        c.run(threads);
      }
    } finally {
      Parallel.setThreads(before);
    }
  }
}
