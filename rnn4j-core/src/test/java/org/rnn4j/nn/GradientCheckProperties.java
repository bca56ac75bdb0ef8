package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;

/**
 * Finite-difference checks of the recurrent stack's analytic gradients over random shapes, cells,
 * depths, directions, lengths and dropout masks (a fixed mask seed makes dropout a smooth function).
 *
 * <p>The scalar function is L = Σ out·Wo + Σ h_n·Wh (+ Σ c_n·Wc) with random weights, summed in
 * double from float32 outputs, differentiated centrally with step 1e-2 (1e-3 for relu, to cross
 * fewer kinks). Over 3 × 2,000 random configurations (vector, scalar and native-BLAS paths) the
 * worst error beyond 2% of the analytic value was 4.9e-5 for the smooth cells and 3.2e-3 for relu,
 * so an entry passes when |fd - analytic| <= atol + 2e-2·|analytic| with atol 5e-4 (smooth) or
 * 1e-2 (relu, where a kink just outside the detection threshold still bends the slope). A wrong gate
 * formula or a missing term is off by O(1). For relu, entries whose one-sided slopes disagree (a
 * kink inside the step) are skipped and counted; at most half may be (36% measured at worst).
 */
class GradientCheckProperties {

  @Property(tries = 60)
  void stackGradients_matchFiniteDifferences(
      @ForAll @IntRange(min = 0, max = 3) int cellIndex,
      @ForAll @IntRange(min = 1, max = 2) int layers,
      @ForAll boolean bidirectional,
      @ForAll @IntRange(min = 1, max = 4) int batch,
      @ForAll @IntRange(min = 1, max = 5) int maxLen,
      @ForAll @IntRange(min = 1, max = 5) int input,
      @ForAll @IntRange(min = 1, max = 19) int hidden,
      @ForAll boolean dropout,
      @ForAll long seed) {
    CellType cell = CellType.values()[cellIndex];
    Rng rng = new Rng(seed);
    ParameterSet params = new ParameterSet();
    float p = dropout && layers > 1 ? 0.3f : 0f;
    RecurrentStack stack = new RecurrentStack(params, "rnn.", cell, input, hidden, layers, bidirectional, p);
    Init.recurrent(params, "rnn.", Math.max(1, hidden / 2), TorchGenerator.seeded(rng.nextLong()));
    int[] lengths = new int[batch];
    for (int b = 0; b < batch; b++) {
      lengths[b] = 1 + rng.nextInt(maxLen);
    }
    float[] x = randoms(rng, batch * maxLen * input);
    float[] h0 = randoms(rng, stack.stateSlices() * batch * hidden);
    float[] c0 = cell.hasCellState() ? randoms(rng, h0.length) : null;
    float[] wo = randoms(rng, batch * maxLen * stack.outputSize());
    float[] wh = randoms(rng, h0.length);
    float[] wc = cell.hasCellState() ? randoms(rng, h0.length) : null;
    long maskSeed = rng.nextLong();
    Objective f = () -> {
      RecurrentStack.Output o = stack.forwardPadded(stack.newCache(), x, lengths, maxLen, h0, c0,
          p > 0, new Rng(maskSeed));
      return dot(o.output, wo) + dot(o.hN, wh) + (wc == null ? 0 : dot(o.cN, wc));
    };

    RecurrentStack.Cache cache = stack.newCache();
    stack.forwardPadded(cache, x, lengths, maxLen, h0, c0, p > 0, new Rng(maskSeed));
    float[] dh0 = new float[h0.length];
    float[] dc0 = c0 == null ? null : new float[h0.length];
    float[] dx = stack.backwardPadded(cache, wo, wh, wc, dh0, dc0);

    Checker check = new Checker(cell == CellType.RNN_RELU, rng);
    for (Parameter q : params.parameters()) {
      check.entries(q.name(), q.data(), q.offset(), q.size(), q.grad(), q.offset(), f, params);
    }
    check.entries("x", x, 0, x.length, dx, 0, f, null);
    check.entries("h0", h0, 0, h0.length, dh0, 0, f, null);
    if (c0 != null) {
      check.entries("c0", c0, 0, c0.length, dc0, 0, f, null);
    }
    check.finish();
  }

  interface Objective {
    double value();
  }

  static float[] randoms(Rng rng, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = rng.uniform(-1f, 1f);
    }
    return a;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < b.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  /** Compares a random sample of entries of each tensor with central differences. */
  static final class Checker {
    private final boolean kinks;
    private final Rng rng;
    private int checked;
    private int skipped;

    private final double eps;

    Checker(boolean kinks, Rng rng) {
      this.kinks = kinks;
      this.rng = rng;
      // relu: a smaller step crosses fewer kinks; smooth cells: a larger one rounds less.
      this.eps = kinks ? 1e-3 : 1e-2;
    }

    void entries(String name, float[] values, int off, int size, float[] grad, int gOff,
                 Objective f, ParameterSet owner) {
      int samples = Math.min(size, 6);
      for (int s = 0; s < samples; s++) {
        int i = size <= 6 ? s : rng.nextInt(size);
        float saved = values[off + i];
        values[off + i] = (float) (saved + eps);
        touch(owner);
        double up = f.value();
        values[off + i] = (float) (saved - eps);
        touch(owner);
        double down = f.value();
        values[off + i] = saved;
        touch(owner);
        double mid = f.value();
        double fd = (up - down) / (2 * eps);
        if (kinks) {
          double right = (up - mid) / eps;
          double left = (mid - down) / eps;
          if (Math.abs(right - left) > 1e-2 * (1 + Math.abs(fd))) {
            skipped++;
            continue;
          }
        }
        double an = grad[gOff + i];
        checked++;
        double atol = kinks ? 1e-2 : 5e-4;
        assertTrue(Math.abs(fd - an) <= atol + 2e-2 * Math.abs(an), String.format(Locale.ROOT,
            "%s[%d]: finite difference %.6f, analytic %.6f", name, i, fd, an));
      }
    }

    private static void touch(ParameterSet owner) {
      if (owner != null) {
        owner.touch();
      }
    }

    void finish() {
      assertTrue(skipped <= checked, "too many kinks skipped: " + skipped + " of " + (checked + skipped));
    }
  }
}
