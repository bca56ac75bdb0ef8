package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.nn.SameBits.assertSameBits;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnn4j.random.Rng;

/**
 * A stack fed each distinct row once ({@link RecurrentStack#forwardGrouped}) against the same stack
 * fed all N gathered rows. The forward gives the same bits: each projected row is the same kernel
 * over the same numbers. Backward sums each group's gate gradients before the input-side
 * products instead of after, so the gradients move by rounding only: measured max difference 9.5e-7
 * on values up to 4.9 (two float steps); the tolerance is 1e-6 absolute + 1e-5 relative, the golden
 * tests' own.
 */
class TokenGroupsTest {
  private static final int I = 5;
  private static final int H = 6;
  private static final int V = 7;
  /**
   * rnn4j's kernels compute a row the same way whatever M; native BLAS may block M differently (the
   * pom's golden-native-blas run takes this test through OpenBLAS too).
   */
  private static final float NATIVE_TOLERANCE = 1e-6f;

  @Test
  void group_idsInFirstAppearanceOrderAndMembersIncreasing() {
    TokenGroups g = new TokenGroups();
    g.group(new int[] {4, 2, 4, 0, 2, 4}, 6, V);
    assertEquals(6, g.rows());
    assertEquals(3, g.count());
    assertArrayEquals(new int[] {4, 2, 0}, Arrays.copyOf(g.ids(), 3));
    assertArrayEquals(new int[] {0, 1, 0, 2, 1, 0}, Arrays.copyOf(g.slots(), 6));
    assertArrayEquals(new int[] {0, 3, 5, 6}, Arrays.copyOf(g.start(), 4));
    assertArrayEquals(new int[] {0, 2, 5, 1, 4, 3}, Arrays.copyOf(g.members(), 6));
  }

  @Test
  void group_reusedForASmallerBatch_forgetsTheLastOne() {
    TokenGroups g = new TokenGroups();
    g.group(new int[] {1, 2, 3, 4, 5, 6}, 6, V);
    g.group(new int[] {6, 6, 1}, 3, V);
    assertEquals(2, g.count());
    assertArrayEquals(new int[] {6, 1}, Arrays.copyOf(g.ids(), 2));
    assertArrayEquals(new int[] {0, 0, 1}, Arrays.copyOf(g.slots(), 3));
    assertArrayEquals(new int[] {0, 1, 2}, Arrays.copyOf(g.members(), 3));
  }

  @Test
  void paddedCount_roundsUpToTheKernelsFourRows() {
    TokenGroups g = new TokenGroups();
    int[] expected = {0, 4, 4, 4, 4, 8};
    for (int u = 1; u <= 5; u++) {
      int[] ids = new int[u];
      for (int q = 0; q < u; q++) {
        ids[q] = q;
      }
      g.group(ids, u, V);
      assertEquals(expected[u], g.paddedCount(), "U = " + u);
    }
  }

  @Test
  void reversed_mapsEachReverseRowToItsForwardRowsGroup() {
    SequenceLayout layout = SequenceLayout.of(new int[] {3, 1, 2}, 3);
    int n = layout.tokens();
    int[] ids = new int[n];
    for (int q = 0; q < n; q++) {
      ids[q] = q % 3;
    }
    TokenGroups g = new TokenGroups();
    g.group(ids, n, V);
    TokenGroups r = g.reversed(layout);
    assertEquals(g.count(), r.count());
    for (int q = 0; q < n; q++) {
      assertEquals(g.slots()[layout.reverseToForward(q)], r.slots()[q], "reverse row " + q);
    }
    for (int s = 0; s < r.count(); s++) {
      for (int m = r.start()[s]; m < r.start()[s + 1]; m++) {
        assertEquals(s, r.slots()[r.members()[m]]);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = CellType.class, names = {"LSTM", "GRU", "RNN_TANH"})
  void forwardGrouped_sameOutputsAsGatheredRows_andGradientsWithinRounding(CellType cell) {
    for (boolean bidirectional : new boolean[] {false, true}) {
      for (boolean withState : new boolean[] {false, true}) {
        String what = cell + (bidirectional ? " bidirectional" : "") + (withState ? " with h0" : "");
        compare(cell, bidirectional, withState, what);
      }
    }
  }

  private static void compare(CellType cell, boolean bidirectional, boolean withState, String what) {
    int[] lengths = {5, 2, 4, 5};
    int t = 5;
    SequenceLayout layout = SequenceLayout.of(lengths, t);
    int n = layout.tokens();
    Rng rng = new Rng(cell.ordinal() * 4L + (bidirectional ? 2 : 0) + (withState ? 1 : 0));
    int[] ids = new int[n];
    for (int q = 0; q < n; q++) {
      ids[q] = rng.nextInt(V);
    }
    float[] table = random(rng, V * I);
    int slices = 2 * (bidirectional ? 2 : 1);
    float[] h0 = withState ? random(rng, slices * lengths.length * H) : null;
    float[] c0 = withState ? random(rng, slices * lengths.length * H) : null;
    float[] dOut = random(rng, n * (bidirectional ? 2 : 1) * H);
    float[] dhN = random(rng, slices * lengths.length * H);

    TokenGroups g = new TokenGroups();
    g.group(ids, n, V);
    assertTrue(g.count() < n, "the test needs repeated ids");
    float[] xu = new float[g.paddedCount() * I];
    for (int s = 0; s < g.count(); s++) {
      System.arraycopy(table, g.ids()[s] * I, xu, s * I, I);
    }
    float[] x = new float[n * I];
    for (int q = 0; q < n; q++) {
      System.arraycopy(table, ids[q] * I, x, q * I, I);
    }

    Run gathered = new Run(cell, bidirectional);
    gathered.stack.forward(gathered.cache, layout, x, h0, c0, true, null);
    float[] dx = new float[n * I];
    gathered.stack.backward(gathered.cache, dOut, dhN, null, dx, null, null);

    Run grouped = new Run(cell, bidirectional);
    grouped.stack.forwardGrouped(grouped.cache, layout, g, xu, h0, c0, true, null);
    float[] dxu = new float[g.paddedCount() * I];
    grouped.stack.backward(grouped.cache, dOut, dhN, null, dxu, null, null);

    assertSameBits(Arrays.copyOf(gathered.stack.output(gathered.cache), dOut.length),
        Arrays.copyOf(grouped.stack.output(grouped.cache), dOut.length), NATIVE_TOLERANCE, what + " outputs");
    assertSameBits(gathered.stack.finalHidden(gathered.cache), grouped.stack.finalHidden(grouped.cache),
        NATIVE_TOLERANCE, what + " hN");
    float[] dxSummed = new float[g.count() * I];
    for (int q = 0; q < n; q++) {
      for (int i = 0; i < I; i++) {
        dxSummed[g.slots()[q] * I + i] += dx[q * I + i];
      }
    }
    assertClose(what + " dx", dxSummed, Arrays.copyOf(dxu, g.count() * I));
    for (Parameter p : gathered.params.parameters()) {
      assertClose(what + " " + p.name(), p.gradient(), grouped.params.get(p.name()).gradient());
    }
  }

  @Test
  void forwardGrouped_groupsOfAnotherBatch_isRefused() {
    Run run = new Run(CellType.LSTM, false);
    TokenGroups g = new TokenGroups();
    g.group(new int[] {1, 1, 2}, 3, V);
    SequenceLayout layout = SequenceLayout.of(new int[] {2, 2}, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run.stack.forwardGrouped(run.cache, layout, g, new float[2 * I], null, null, false, null));
    assertEquals("groups cover 3 rows, the layout has 4", e.getMessage());
  }

  @Test
  void forwardGrouped_tooFewInputRows_isRefused() {
    Run run = new Run(CellType.GRU, false);
    TokenGroups g = new TokenGroups();
    g.group(new int[] {1, 1, 2, 3}, 4, V);
    SequenceLayout layout = SequenceLayout.of(new int[] {2, 2}, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run.stack.forwardGrouped(run.cache, layout, g, new float[2 * I], null, null, false, null));
    assertEquals("xu has 10 values, needs 4×5 (U = 3 rows, padded to 4)", e.getMessage());
  }

  /** A 2-layer stack with fixed weights, so that two runs start from the same numbers. */
  private static final class Run {
    final ParameterSet params = new ParameterSet();
    final RecurrentStack stack;
    final RecurrentStack.Cache cache;

    Run(CellType cell, boolean bidirectional) {
      stack = new RecurrentStack(params, "rnn.", cell, I, H, 2, bidirectional, 0f);
      Rng w = new Rng(99);
      float[] p = params.data();
      for (int i = 0; i < p.length; i++) {
        p[i] = w.uniform(-0.5f, 0.5f);
      }
      params.touch();
      cache = stack.newCache();
    }
  }

  private static void assertClose(String what, float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, what);
    double max = 0;
    double largest = 0;
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs(expected[i] - actual[i]);
      max = Math.max(max, d);
      largest = Math.max(largest, Math.abs(expected[i]));
      assertTrue(d <= 1e-6 + 1e-5 * Math.abs(expected[i]),
          what + " at " + i + ": expected " + expected[i] + ", got " + actual[i]);
    }
    System.out.printf(java.util.Locale.ROOT, "  %-40s max |diff| = %.3e of values up to %.2f%n", what, max,
        largest);
  }

  private static float[] random(Rng rng, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = rng.uniform(-1f, 1f);
    }
    return a;
  }
}
