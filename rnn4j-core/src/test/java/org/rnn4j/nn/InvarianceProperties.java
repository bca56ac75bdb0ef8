package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.rnn4j.math.KernelTuning;
import org.rnn4j.math.Parallel;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;

/**
 * Properties of the packed layout: padding a batch further, reordering it, or changing the thread
 * count must not change any result. With the Java GEMM, per-sequence results are compared bit for
 * bit (no row ever reads another row and every kernel computes an element the same way); native
 * BLAS picks kernels by matrix size, so there they are compared within 1e-5. Parameter gradients
 * sum over rows, so reordering may change their rounding (measured max 2.9e-6 over 3,000 runs):
 * within 1e-5.
 */
class InvarianceProperties {
  /** Tolerance for per-row results: exact on the Java path. */
  static final float ROW_TOL = org.rnn4j.math.Blas.current() == org.rnn4j.math.Blas.java() ? 0f : 1e-5f;

  static void assertRows(float[] expected, float[] actual, String what) {
    if (ROW_TOL == 0f) {
      assertArrayEquals(expected, actual, what);
    } else {
      assertArrayEquals(expected, actual, ROW_TOL, what);
    }
  }

  /**
   * Tolerance for parameter gradients under native BLAS, relative to max(1, |expected|): exact on
   * the Java path. Measured over 300 samples of the thread-count property: 5.9e-6.
   */
  static final float SUM_TOL = ROW_TOL == 0f ? 0f : 2e-5f;

  /**
   * Parameter gradients sum over all rows, so under native BLAS their differences grow with their
   * size (a 1e-5 absolute bound failed on 1.1e-5 at a gradient of 19.6, 5.6e-7 relative).
   */
  static void assertSums(float[] expected, float[] actual, String what) {
    if (SUM_TOL == 0f) {
      assertArrayEquals(expected, actual, what);
      return;
    }
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      float allowed = SUM_TOL * Math.max(1f, Math.abs(expected[i]));
      if (!(Math.abs(expected[i] - actual[i]) <= allowed)) {
        assertEquals(expected[i], actual[i], allowed, what + " at " + i);
      }
    }
  }

  static final class Run {
    float[] out;
    float[] hN;
    float[] cN;
    float[] dx;
    float[] dh0;
    float[] grads;
  }

  static Run run(CellType cell, int layers, boolean bi, int input, int hidden, long weightSeed,
                 float[] x, int[] lengths, int t, float[] h0, float[] dOut, float[] dhN) {
    ParameterSet params = new ParameterSet();
    RecurrentStack stack = new RecurrentStack(params, "rnn.", cell, input, hidden, layers, bi, 0f);
    Init.recurrent(params, "rnn.", hidden, TorchGenerator.seeded(weightSeed));
    RecurrentStack.Cache c = stack.newCache();
    RecurrentStack.Output o = stack.forwardPadded(c, x, lengths, t, h0, null, false, null);
    Run r = new Run();
    r.out = o.output;
    r.hN = o.hN;
    r.cN = o.cN;
    r.dh0 = new float[h0.length];
    r.dx = stack.backwardPadded(c, dOut, dhN, null, r.dh0, null);
    r.grads = params.grad().clone();
    return r;
  }

  /** A two-layer stack's random inputs for {@link #run}: ragged lengths up to t, input width in, hidden h. */
  record Inputs(int in, int h, int t, float[] x, int[] lengths, float[] h0, float[] dOut, float[] dhN) {
    static Inputs random(Rng rng, int batch, int t, int in, int h, boolean bi) {
      int d = bi ? 2 : 1;
      int[] lengths = new int[batch];
      for (int b = 0; b < batch; b++) {
        lengths[b] = 1 + rng.nextInt(t);
      }
      float[] x = GradientCheckProperties.randoms(rng, batch * t * in);
      float[] dOut = GradientCheckProperties.randoms(rng, batch * t * d * h);
      float[] h0 = GradientCheckProperties.randoms(rng, 2 * d * batch * h);
      float[] dhN = GradientCheckProperties.randoms(rng, h0.length);
      return new Inputs(in, h, t, x, lengths, h0, dOut, dhN);
    }

    Run run(CellType cell, boolean bi, long weightSeed) {
      return InvarianceProperties.run(cell, 2, bi, in, h, weightSeed, x, lengths, t, h0, dOut, dhN);
    }
  }

  @Property(tries = 40)
  void extraPadding_changesNothing(
      @ForAll @IntRange(min = 0, max = 3) int cellIndex, @ForAll boolean bi,
      @ForAll @IntRange(min = 1, max = 2) int layers, @ForAll @IntRange(min = 1, max = 5) int batch,
      @ForAll @IntRange(min = 1, max = 6) int t, @ForAll @IntRange(min = 1, max = 4) int extra,
      @ForAll long seed) {
    CellType cell = CellType.values()[cellIndex];
    Rng rng = new Rng(seed);
    int in = 3;
    int h = 18;
    int d = bi ? 2 : 1;
    int[] lengths = new int[batch];
    for (int b = 0; b < batch; b++) {
      lengths[b] = 1 + rng.nextInt(t);
    }
    int t2 = t + extra;
    float[] x = GradientCheckProperties.randoms(rng, batch * t * in);
    float[] x2 = GradientCheckProperties.randoms(rng, batch * t2 * in); // garbage in the padding
    float[] dOut = GradientCheckProperties.randoms(rng, batch * t * d * h);
    float[] dOut2 = GradientCheckProperties.randoms(rng, batch * t2 * d * h);
    for (int b = 0; b < batch; b++) {
      for (int s = 0; s < t; s++) {
        System.arraycopy(x, (b * t + s) * in, x2, (b * t2 + s) * in, in);
        System.arraycopy(dOut, (b * t + s) * d * h, dOut2, (b * t2 + s) * d * h, d * h);
      }
    }
    float[] h0 = GradientCheckProperties.randoms(rng, layers * d * batch * h);
    float[] dhN = GradientCheckProperties.randoms(rng, h0.length);
    Run a = run(cell, layers, bi, in, h, seed, x, lengths, t, h0, dOut, dhN);
    Run b = run(cell, layers, bi, in, h, seed, x2, lengths, t2, h0, dOut2, dhN);
    assertArrayEquals(a.hN, b.hN);
    assertArrayEquals(a.cN, b.cN);
    assertArrayEquals(a.dh0, b.dh0);
    assertArrayEquals(a.grads, b.grads);
    for (int bi2 = 0; bi2 < batch; bi2++) {
      for (int s = 0; s < t2; s++) {
        for (int j = 0; j < d * h; j++) {
          float expected = s < t ? a.out[(bi2 * t + s) * d * h + j] : 0f;
          assertEquals(expected, b.out[(bi2 * t2 + s) * d * h + j], "out");
        }
        for (int j = 0; j < in; j++) {
          float expected = s < t ? a.dx[(bi2 * t + s) * in + j] : 0f;
          assertEquals(expected, b.dx[(bi2 * t2 + s) * in + j], "dx");
        }
      }
    }
  }

  @Property(tries = 40)
  void batchOrder_permutesResultsOnly(
      @ForAll @IntRange(min = 0, max = 3) int cellIndex, @ForAll boolean bi,
      @ForAll @IntRange(min = 1, max = 2) int layers, @ForAll @IntRange(min = 2, max = 6) int batch,
      @ForAll @IntRange(min = 1, max = 6) int t, @ForAll long seed) {
    CellType cell = CellType.values()[cellIndex];
    Rng rng = new Rng(seed);
    int in = 3;
    int h = 18;
    int d = bi ? 2 : 1;
    int sl = layers * d;
    int[] lengths = new int[batch];
    for (int b = 0; b < batch; b++) {
      lengths[b] = 1 + rng.nextInt(t);
    }
    int[] perm = new int[batch];
    for (int i = 0; i < batch; i++) {
      perm[i] = i;
    }
    rng.shuffle(perm);
    float[] x = GradientCheckProperties.randoms(rng, batch * t * in);
    float[] dOut = GradientCheckProperties.randoms(rng, batch * t * d * h);
    float[] h0 = GradientCheckProperties.randoms(rng, sl * batch * h);
    float[] dhN = GradientCheckProperties.randoms(rng, h0.length);
    // Batch entry i of the permuted batch is entry perm[i] of the original.
    int[] lengthsP = new int[batch];
    float[] xP = new float[x.length];
    float[] dOutP = new float[dOut.length];
    float[] h0P = new float[h0.length];
    float[] dhNP = new float[dhN.length];
    for (int i = 0; i < batch; i++) {
      int src = perm[i];
      lengthsP[i] = lengths[src];
      System.arraycopy(x, src * t * in, xP, i * t * in, t * in);
      System.arraycopy(dOut, src * t * d * h, dOutP, i * t * d * h, t * d * h);
      for (int s = 0; s < sl; s++) {
        System.arraycopy(h0, (s * batch + src) * h, h0P, (s * batch + i) * h, h);
        System.arraycopy(dhN, (s * batch + src) * h, dhNP, (s * batch + i) * h, h);
      }
    }
    Run a = run(cell, layers, bi, in, h, seed, x, lengths, t, h0, dOut, dhN);
    Run b = run(cell, layers, bi, in, h, seed, xP, lengthsP, t, h0P, dOutP, dhNP);
    for (int i = 0; i < batch; i++) {
      int src = perm[i];
      for (int j = 0; j < t * d * h; j++) {
        assertEquals(a.out[src * t * d * h + j], b.out[i * t * d * h + j], ROW_TOL, "out");
      }
      for (int j = 0; j < t * in; j++) {
        assertEquals(a.dx[src * t * in + j], b.dx[i * t * in + j], 1e-5f, "dx");
      }
      for (int s = 0; s < sl; s++) {
        for (int j = 0; j < h; j++) {
          assertEquals(a.hN[(s * batch + src) * h + j], b.hN[(s * batch + i) * h + j], ROW_TOL, "hN");
          assertEquals(a.dh0[(s * batch + src) * h + j], b.dh0[(s * batch + i) * h + j], 1e-5f, "dh0");
        }
      }
    }
    for (int j = 0; j < a.grads.length; j++) {
      assertEquals(a.grads[j], b.grads[j], 1e-5f, "parameter gradient " + j);
    }
  }

  @Property(tries = 15)
  void threadCount_changesNothing(
      @ForAll @IntRange(min = 0, max = 3) int cellIndex, @ForAll boolean bi,
      @ForAll @IntRange(min = 8, max = 40) int batch, @ForAll long seed) {
    CellType cell = CellType.values()[cellIndex];
    Inputs in = Inputs.random(new Rng(seed), batch, 9, 20, 37, bi);
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      Run a = in.run(cell, bi, seed);
      for (int threads : new int[] {2, 3}) {
        Parallel.setThreads(threads);
        Run b = in.run(cell, bi, seed);
        assertRows(a.out, b.out, "out, threads=" + threads);
        assertRows(a.hN, b.hN, "hN");
        assertRows(a.dx, b.dx, "dx");
        assertRows(a.dh0, b.dh0, "dh0");
        assertSums(a.grads, b.grads, "gradients, threads=" + threads);
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  /**
   * The kernel tuning (K and row blocks, and a time loop split by hidden units rather than by
   * sequences) must not change any result either: every element is still one chain in one order.
   */
  @Property(tries = 15)
  void kernelTuning_changesNothing(
      @ForAll @IntRange(min = 0, max = 3) int cellIndex, @ForAll boolean bi,
      @ForAll @IntRange(min = 4, max = 24) int batch, @ForAll @IntRange(min = 64, max = 130) int h,
      @ForAll @IntRange(min = 0, max = 3) int blocking, @ForAll long seed) {
    CellType cell = CellType.values()[cellIndex];
    Inputs in = Inputs.random(new Rng(seed), batch, 7, 20, h, bi);
    int before = Parallel.threads();
    KernelTuning tuning = KernelTuning.current();
    try {
      Parallel.setThreads(1);
      KernelTuning.use(new KernelTuning(256, 96, KernelTuning.NEVER));
      Run a = in.run(cell, bi, seed);
      int[][] blocks = {{16, 4}, {32, 8}, {64, 96}, {4096, 4096}};
      KernelTuning.use(new KernelTuning(blocks[blocking][0], blocks[blocking][1], 0));
      for (int threads : new int[] {1, 2, 3}) {
        Parallel.setThreads(threads);
        Run b = in.run(cell, bi, seed);
        String what = KernelTuning.current() + ", threads=" + threads;
        assertRows(a.out, b.out, "out, " + what);
        assertRows(a.hN, b.hN, "hN, " + what);
        assertRows(a.dx, b.dx, "dx, " + what);
        assertRows(a.dh0, b.dh0, "dh0, " + what);
        assertSums(a.grads, b.grads, "gradients, " + what);
      }
    } finally {
      Parallel.setThreads(before);
      KernelTuning.use(tuning);
    }
  }
}
