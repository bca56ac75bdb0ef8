package org.rnn4j.nn;

import org.rnn4j.math.Blas;
import org.rnn4j.math.Ops;
import org.rnn4j.random.TorchGenerator;

/** y = x·Wᵀ + b with weight (out, in) and bias (out), PyTorch names {@code <name>.weight/.bias}. */
public final class Linear {
  private final Parameter weight;
  private final Parameter bias;
  private final int in;
  private final int out;

  private final boolean sharedWeight;

  public Linear(ParameterSet params, String name, int in, int out) {
    this(params, name, in, out, null);
  }

  /**
   * A Linear whose weight is another layer's (out, in) parameter, as PyTorch ties a decoder's output
   * layer to its embedding ({@code out.weight = emb.weight}): the weight is aliased as
   * {@code <name>.weight}; only the bias is new.
   */
  public Linear(ParameterSet params, String name, Parameter weight) {
    this(params, name, weight.dim(1), weight.dim(0), weight);
  }

  private Linear(ParameterSet params, String name, int in, int out, Parameter shared) {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException("linear sizes must be >= 1, got in=" + in + " out=" + out);
    }
    this.in = in;
    this.out = out;
    this.sharedWeight = shared != null;
    if (shared != null) {
      if (shared.rank() != 2) {
        throw new IllegalArgumentException("a shared weight must be a matrix, got " + shared);
      }
      params.alias(name + ".weight", shared);
      this.weight = shared;
    } else {
      this.weight = params.add(name + ".weight", out, in);
    }
    this.bias = params.add(name + ".bias", out);
  }

  public Parameter weight() {
    return weight;
  }

  public Parameter bias() {
    return bias;
  }

  public int inputSize() {
    return in;
  }

  public int outputSize() {
    return out;
  }

  /** y (rows, out) = x (rows, in) · Wᵀ + b. */
  public void forward(float[] x, int rows, float[] y) {
    forwardRows(x, 0, rows, y, false);
  }

  /**
   * Rows [row0, row0 + rows) of y (·, out) = the same rows of x (·, in) · Wᵀ + b: the bits
   * {@link #forward} gives those rows; on the calling thread when inRegion.
   */
  public void forwardRows(float[] x, int row0, int rows, float[] y, boolean inRegion) {
    Blas.gemmBias(inRegion, rows, x, row0 * in, in, weight.packedTransposed(), bias.data(), bias.offset(), y,
        row0 * out, out);
  }

  /** Accumulates dW, db from dy (rows, out); writes dx (rows, in) when non-null. */
  public void backward(float[] x, float[] dy, int rows, float[] dx) {
    Blas.gemm(true, false, out, in, rows, dy, 0, out, x, 0, in, 1f, weight.grad(), weight.offset(), in);
    Ops.addColumnSums(dy, 0, rows, out, out, bias.grad(), bias.offset());
    if (dx != null) {
      Blas.gemm(false, false, rows, in, out, dy, 0, out, weight.data(), weight.offset(), in, 0f, dx, 0, in);
    }
  }

  /**
   * {@code nn.Linear.reset_parameters}: weight by kaiming_uniform_(a=√5), i.e. U(±gain·√(3/in))
   * with gain √(2/(1+5)), then bias U(±1/√in); the bounds are computed in double as PyTorch does.
   */
  public void initialize(TorchGenerator g) {
    double gain = Math.sqrt(2.0 / (1 + 5));
    double weightBound = Math.sqrt(3.0) * (gain / Math.sqrt(in));
    if (sharedWeight) {
      // PyTorch draws the module's own weight before the assignment replaces it: draw and drop.
      g.uniform(new float[weight.size()], 0, weight.size(), -weightBound, weightBound);
    } else {
      Init.uniform(weight, -weightBound, weightBound, g);
    }
    double biasBound = 1 / Math.sqrt(in);
    Init.uniform(bias, -biasBound, biasBound, g);
  }
}
