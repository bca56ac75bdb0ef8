package org.rnn4j.optim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.math.Parallel;
import org.rnn4j.math.Vectorization;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.ParameterSet;

/**
 * Adam and AdamW with torch.optim's arithmetic: bias corrections in double, then per element
 * m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; p -= (lr/bc1) · m / (√v/√bc2 + ε). Weight decay adds
 * wd·p to g (Adam) or first scales p by 1 - lr·wd (AdamW, {@code decoupled}).
 */
public final class Adam implements Optimizer {
  /** Elements per parallel chunk: large enough to amortise the hand-off. */
  private static final int GRAIN = 1 << 16;

  private final ParameterSet params;
  private final double beta1;
  private final double beta2;
  private final float eps;
  private final float weightDecay;
  private final boolean decoupled;
  private final float[] m;
  private final float[] v;
  private long step;
  private double lastSumSquares = Double.NaN;
  private Parameter lazy;
  private int[] lazyRows;
  private int lazyCount;
  private Parameter sparse; // for the next step only: its gradient is zero outside the marked rows
  private boolean[] rowHasGradient = new boolean[0];

  public Adam(ParameterSet params, double beta1, double beta2, double eps, double weightDecay,
              boolean decoupled) {
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
    }
    if (!(eps > 0)) {
      throw new IllegalArgumentException("eps must be > 0, got " + eps);
    }
    if (!(weightDecay >= 0)) {
      throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }
    this.params = params;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = (float) eps;
    this.weightDecay = (float) weightDecay;
    this.decoupled = decoupled;
    this.m = new float[params.size()];
    this.v = new float[params.size()];
  }

  /** torch.optim.Adam defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
  public static Adam adam(ParameterSet params) {
    return new Adam(params, 0.9, 0.999, 1e-8, 0, false);
  }

  /** torch.optim.AdamW defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
  public static Adam adamW(ParameterSet params) {
    return new Adam(params, 0.9, 0.999, 1e-8, 0.01, true);
  }

  @Override
  public void step(double lr) {
    if (!(lr >= 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("learning rate must be >= 0 and finite, got " + lr);
    }
    step++;
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2 = 1 - Math.pow(beta2, step);
    Update u = new Update();
    u.stepSize = (float) (lr / bc1);
    u.bc2Sqrt = (float) Math.sqrt(bc2);
    u.beta1 = (float) beta1;
    u.beta2 = (float) beta2;
    u.eps = eps;
    // As torch: (1 - beta) is formed in double, then rounded once.
    u.oneMinusBeta1 = (float) (1 - beta1);
    u.oneMinusBeta2 = (float) (1 - beta2);
    u.l2 = decoupled ? 0f : weightDecay;
    u.decay = decoupled ? (float) (1 - lr * weightDecay) : 1f;
    float[] p = params.data();
    float[] g = params.grad();
    int skipFrom = lazy == null ? p.length : lazy.offset();
    int skipTo = lazy == null ? p.length : lazy.offset() + lazy.size();
    int dense = p.length - (skipTo - skipFrom);
    int parts = Math.max(1, Math.min(Parallel.threads(), dense / GRAIN));
    double[] partial = new double[parts];
    Parallel.run(parts, (part, total) -> {
      // Dense over everything but the lazy parameter's range; chunks aligned to 64 elements.
      int lo = (int) ((long) dense * part / total) & ~63;
      int hi = part == total - 1 ? dense : (int) ((long) dense * (part + 1) / total) & ~63;
      int a = lo < skipFrom ? lo : lo + (skipTo - skipFrom);
      int b = hi <= skipFrom ? hi : hi + (skipTo - skipFrom);
      partial[part] = a < skipFrom && b > skipFrom
          ? rows(p, g, a, skipFrom, u) + rows(p, g, skipTo, b, u)
          : rows(p, g, a, b, u);
    });
    double sum = 0;
    for (double d : partial) {
      sum += d;
    }
    if (lazy != null) {
      int rowSize = lazy.dim(1);
      for (int i = 0; i < lazyCount; i++) {
        int off = lazy.offset() + lazyRows[i] * rowSize;
        sum += range(p, g, off, off + rowSize, u, true);
      }
      lazyCount = 0;
    }
    if (sparse != null) {
      Arrays.fill(rowHasGradient, false);
      sparse = null;
    }
    lastSumSquares = sum;
    params.touch();
  }

  /** Updates [lo, hi), skipping the gradient of the rows {@link #gradientRows} said have none. */
  private double rows(float[] p, float[] g, int lo, int hi, Update u) {
    int from = sparse == null ? hi : Math.max(lo, sparse.offset());
    int to = sparse == null ? hi : Math.min(hi, sparse.offset() + sparse.size());
    if (from >= to) {
      return range(p, g, lo, hi, u, true);
    }
    double sum = range(p, g, lo, from, u, true) + range(p, g, to, hi, u, true);
    int rowSize = sparse.dim(1);
    for (int i = from; i < to; ) {
      boolean has = rowHasGradient[(i - sparse.offset()) / rowSize];
      int end = i;
      while (end < to && rowHasGradient[(end - sparse.offset()) / rowSize] == has) {
        end = Math.min(to, sparse.offset() + ((end - sparse.offset()) / rowSize + 1) * rowSize);
      }
      sum += range(p, g, i, end, u, has);
      i = end;
    }
    return sum;
  }

  private double range(float[] p, float[] g, int lo, int hi, Update u, boolean hasGradient) {
    if (lo >= hi) {
      return 0;
    }
    return Vectorization.ENABLED
        ? VectorAdam.update(p, g, m, v, lo, hi, u, hasGradient)
        : scalarUpdate(p, g, m, v, lo, hi, u, hasGradient);
  }

  /**
   * The update stays dense and gives the same bits; it only skips reading and clearing the gradient
   * where it is known to be zero, a quarter of the memory traffic of a large embedding's update.
   * Applies to the next step only.
   */
  @Override
  public void gradientRows(Parameter param, int[] rows, int count) {
    if (param.rank() != 2) {
      throw new IllegalArgumentException("row gradients need a matrix parameter, " + param.name() + " is not one");
    }
    if (rowHasGradient.length < param.dim(0)) {
      rowHasGradient = new boolean[param.dim(0)];
    }
    for (int i = 0; i < count; i++) {
      rowHasGradient[rows[i]] = true;
    }
    sparse = param;
  }

  /**
   * Makes the updates of a matrix parameter lazy: the next {@link #step} updates only the given
   * rows of it (moments included), as torch.optim.SparseAdam does, instead of every row. For an
   * embedding that saves reading and writing the whole table when a batch uses a few rows; the
   * result is no longer numerically equal to dense Adam. The rows must hold its whole gradient.
   */
  public void lazyRows(Parameter param, int[] rows, int count) {
    if (param.rank() != 2) {
      throw new IllegalArgumentException("lazy updates need a matrix parameter, " + param.name() + " is not one");
    }
    this.lazy = param;
    this.lazyRows = rows;
    this.lazyCount = count;
  }

  @Override
  public double lastGradientSumSquares() {
    return lastSumSquares;
  }

  /** Per-step constants shared by the vector and scalar kernels. */
  static final class Update {
    float beta1;
    float beta2;
    float eps;
    float stepSize;
    float bc2Sqrt;
    float oneMinusBeta1;
    float oneMinusBeta2;
    float l2;
    float decay;
  }

  /** Updates [lo, hi) and returns Σ g² of the raw gradient there; see {@link VectorAdam#update}. */
  static double scalarUpdate(float[] p, float[] g, float[] m, float[] v, int lo, int hi, Update u,
                             boolean hasGradient) {
    double sumSquares = 0;
    for (int i = lo; i < hi; i++) {
      float pi = p[i] * u.decay;
      float raw = hasGradient ? g[i] : 0f;
      sumSquares += (double) raw * raw;
      float gi = raw + u.l2 * pi;
      float mi = m[i] * u.beta1 + u.oneMinusBeta1 * gi;
      float vi = v[i] * u.beta2 + u.oneMinusBeta2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      float denom = (float) Math.sqrt(vi) / u.bc2Sqrt + u.eps;
      // addcdiv_: p + (-stepSize·m) / denom, in that order
      p[i] = pi + (-u.stepSize * mi) / denom;
      if (hasGradient) {
        g[i] = 0f;
      }
    }
    return sumSquares;
  }

  @Override
  public long steps() {
    return step;
  }

  @Override
  public Map<String, float[]> state() {
    Map<String, float[]> s = new LinkedHashMap<>();
    s.put("step", new float[] {Float.intBitsToFloat((int) (step >>> 32)), Float.intBitsToFloat((int) step)});
    s.put("exp_avg", m);
    s.put("exp_avg_sq", v);
    return s;
  }

  @Override
  public void loadState(Map<String, float[]> s) {
    float[] st = s.get("step");
    float[] mm = s.get("exp_avg");
    float[] vv = s.get("exp_avg_sq");
    if (st == null || st.length != 2 || mm == null || vv == null || mm.length != m.length || vv.length != v.length) {
      throw new IllegalArgumentException("Adam state does not match this model (" + m.length + " parameters)");
    }
    step = ((long) Float.floatToRawIntBits(st[0]) << 32) | (Float.floatToRawIntBits(st[1]) & 0xFFFFFFFFL);
    System.arraycopy(mm, 0, m, 0, m.length);
    System.arraycopy(vv, 0, v, 0, v.length);
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "%s(betas=(%s, %s), eps=%s, weight_decay=%s)",
        decoupled ? "adamw" : "adam", beta1, beta2, eps, weightDecay);
  }
}
