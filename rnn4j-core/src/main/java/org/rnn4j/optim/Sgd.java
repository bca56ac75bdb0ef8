package org.rnn4j.optim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.nn.ParameterSet;

/**
 * SGD with optional momentum, dampening, Nesterov and L2 weight decay, as torch.optim.SGD: the
 * momentum buffer starts as the first gradient, then buf = μ·buf + (1-dampening)·g.
 */
public final class Sgd implements Optimizer {
  private final ParameterSet params;
  private final float momentum;
  private final float dampening;
  private final boolean nesterov;
  private final float weightDecay;
  private final float[] buffer;
  private long step;
  private double lastSumSquares = Double.NaN;

  public Sgd(ParameterSet params, double momentum, double dampening, boolean nesterov, double weightDecay) {
    if (!(momentum >= 0)) {
      throw new IllegalArgumentException("momentum must be >= 0, got " + momentum);
    }
    if (!(weightDecay >= 0)) {
      throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new IllegalArgumentException("nesterov needs momentum > 0 and zero dampening");
    }
    this.params = params;
    this.momentum = (float) momentum;
    this.dampening = (float) dampening;
    this.nesterov = nesterov;
    this.weightDecay = (float) weightDecay;
    this.buffer = momentum != 0 ? new float[params.size()] : null;
  }

  @Override
  public void step(double lr) {
    if (!(lr >= 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("learning rate must be >= 0 and finite, got " + lr);
    }
    float[] p = params.data();
    float[] g = params.grad();
    float rate = (float) lr;
    float keep = 1f - dampening;
    boolean first = step == 0;
    double sumSquares = 0;
    for (int i = 0; i < p.length; i++) {
      sumSquares += (double) g[i] * g[i];
      float d = g[i] + weightDecay * p[i];
      if (buffer != null) {
        float b = first ? d : buffer[i] * momentum + keep * d;
        buffer[i] = b;
        d = nesterov ? d + momentum * b : b;
      }
      p[i] -= rate * d;
      g[i] = 0f;
    }
    lastSumSquares = sumSquares;
    step++;
    params.touch();
  }

  @Override
  public long steps() {
    return step;
  }

  @Override
  public double lastGradientSumSquares() {
    return lastSumSquares;
  }

  @Override
  public Map<String, float[]> state() {
    Map<String, float[]> s = new LinkedHashMap<>();
    s.put("step", new float[] {Float.intBitsToFloat((int) (step >>> 32)), Float.intBitsToFloat((int) step)});
    if (buffer != null) {
      s.put("momentum_buffer", buffer);
    }
    return s;
  }

  @Override
  public void loadState(Map<String, float[]> s) {
    float[] st = s.get("step");
    if (st == null || st.length != 2) {
      throw new IllegalArgumentException("SGD state has no step count");
    }
    if (buffer != null) {
      float[] b = s.get("momentum_buffer");
      if (b == null || b.length != buffer.length) {
        throw new IllegalArgumentException("SGD momentum buffer does not match this model");
      }
      System.arraycopy(b, 0, buffer, 0, buffer.length);
    }
    step = ((long) Float.floatToRawIntBits(st[0]) << 32) | (Float.floatToRawIntBits(st[1]) & 0xFFFFFFFFL);
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "sgd(momentum=%s, dampening=%s, nesterov=%s, weight_decay=%s)",
        momentum, dampening, nesterov, weightDecay);
  }
}
