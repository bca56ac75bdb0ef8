package org.rnn4j.nn;

import java.util.Arrays;
import org.rnn4j.math.Matrices;

/**
 * A named tensor inside a {@link ParameterSet}: a view of {@code shape} over the set's flat value and
 * gradient arrays, starting at {@link #offset()}. Names follow PyTorch's state_dict
 * ({@code rnn.weight_ih_l0}, {@code fc.bias}, ...).
 */
public final class Parameter {
  private final ParameterSet owner;
  private final String name;
  private final int[] shape;
  private final int offset;
  private final int size;
  private volatile float[] transposed;
  private volatile long transposedVersion = -1;

  Parameter(ParameterSet owner, String name, int[] shape, int offset) {
    this.owner = owner;
    this.name = name;
    this.shape = shape.clone();
    this.offset = offset;
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    this.size = Math.toIntExact(n);
  }

  public String name() {
    return name;
  }

  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int i) {
    return shape[i];
  }

  /** Number of elements. */
  public int size() {
    return size;
  }

  /** Start of this tensor in {@link #data()} and {@link #grad()}. */
  public int offset() {
    return offset;
  }

  /** The owning set's flat value array (shared by all parameters). */
  public float[] data() {
    return owner.data();
  }

  /** The owning set's flat gradient array (shared by all parameters). */
  public float[] grad() {
    return owner.grad();
  }

  public ParameterSet owner() {
    return owner;
  }

  /** A copy of the values. */
  public float[] values() {
    return Arrays.copyOfRange(owner.data(), offset, offset + size);
  }

  /** A copy of the gradient. */
  public float[] gradient() {
    return Arrays.copyOfRange(owner.grad(), offset, offset + size);
  }

  /** Overwrites the values; {@code values.length} must equal {@link #size()}. */
  public void set(float[] values) {
    if (values.length != size) {
      throw new IllegalArgumentException("parameter " + name + " has " + size
          + " elements, got " + values.length);
    }
    System.arraycopy(values, 0, owner.data(), offset, size);
    owner.touch();
  }

  /**
   * The transpose of this 2-D parameter, (cols×rows) row-major, recomputed only after the values
   * change (see {@link ParameterSet#touch()}). Kernels use it to stream weights along rows.
   */
  public float[] transposed() {
    if (shape.length != 2) {
      throw new IllegalStateException(name + " is not a matrix");
    }
    long v = owner.version();
    float[] t = transposed;
    if (t != null && transposedVersion == v) {
      return t;
    }
    synchronized (this) {
      if (transposed == null || transposedVersion != v) {
        // Reused in place: values only change between passes, never while a pass reads them.
        float[] fresh = transposed != null ? transposed : new float[size];
        Matrices.transpose(owner.data(), offset, shape[1], shape[0], shape[1], fresh, 0, shape[0]);
        transposed = fresh;
        transposedVersion = v;
      }
      return transposed;
    }
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
