package org.rnn4j.nn;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.rnn4j.math.Bf16;
import org.rnn4j.math.PackedMatrix;

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
  private final Packing asRows = new Packing(true, 0, -1);
  private final Packing asColumns = new Packing(false, 0, -1);
  /** Packings of row blocks (transposed) and column blocks, keyed by first << 32 | count. */
  private final ConcurrentHashMap<Long, Packing> rowBlocks = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Packing> columnBlocks = new ConcurrentHashMap<>();

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
   * Rounds every value to the nearest bfloat16 (ties to even; NaN stays NaN), in place: an inference-only
   * choice that lets the batch-1 kernels read this matrix at half the bytes ({@link PackedMatrix}), with
   * the same bits from every kernel, since a bfloat16 widens to float exactly.
   */
  public void roundToBf16() {
    float[] d = owner.data();
    for (int i = offset, end = offset + size; i < end; i++) {
      d[i] = Bf16.round(d[i]);
    }
    owner.touch();
  }

  /**
   * This matrix W (rows×cols) as the packed B of the product x·Wᵀ (B is cols×rows), repacked only
   * after the values change (see {@link ParameterSet#touch()}): the forward pass of every layer.
   */
  public PackedMatrix packedTransposed() {
    return asRows.get();
  }

  /** This matrix W (rows×cols) as the packed B of the product d·W, the input gradient of x·Wᵀ. */
  public PackedMatrix packed() {
    return asColumns.get();
  }

  /**
   * Rows [row0, row0 + rows) of this matrix as the packed B of x·W[row0..]ᵀ, repacked only after the
   * values change: one gate's share of a layer's hidden units, when threads split a step by units.
   */
  public PackedMatrix packedTransposedRows(int row0, int rows) {
    return block(rowBlocks, true, row0, rows, "rows");
  }

  /**
   * Columns [col0, col0 + cols) of this matrix as the packed B of d·W[:, col0..]: a thread's share of
   * the hidden units in dh ← (gate gradients)·W_hh, when threads split a step by units.
   */
  public PackedMatrix packedColumns(int col0, int cols) {
    return block(columnBlocks, false, col0, cols, "columns");
  }

  /** The packing of rows (transposed) or columns [first, first + count), made once per key. */
  private PackedMatrix block(ConcurrentHashMap<Long, Packing> blocks, boolean transposed, int first, int count,
                             String what) {
    int extent = shape.length == 2 ? shape[transposed ? 0 : 1] : 0;
    if (shape.length != 2 || first < 0 || count <= 0 || first + count > extent) {
      throw new IllegalArgumentException(name + ": " + what + " [" + first + ", " + (first + count) + ") of "
          + Arrays.toString(shape));
    }
    return blocks.computeIfAbsent((long) first << 32 | count, key -> new Packing(transposed, first, count)).get();
  }

  /** One packing of this matrix, kept for the current version of the values. */
  private final class Packing {
    private final boolean transposed;
    /** The first row (transposed) or column and how many are packed; -1 for all. */
    private final int first;
    private final int count;
    private volatile PackedMatrix packed;
    private volatile long version = -1;
    private float[] packedFrom;

    Packing(boolean transposed, int first, int count) {
      this.transposed = transposed;
      this.first = first;
      this.count = count;
    }

    PackedMatrix get() {
      if (shape.length != 2) {
        throw new IllegalStateException(name + " is not a matrix");
      }
      long v = owner.version();
      PackedMatrix p = packed;
      if (p != null && version == v) {
        return p;
      }
      synchronized (this) {
        if (packed == null || version != v) {
          float[] data = owner.data();
          // Storage reused: values only change between passes, never while a pass reads them.
          packed = packed != null && packedFrom == data
              ? packed.refreshed()
              : transposed
                  ? PackedMatrix.of(true, shape[1], count < 0 ? shape[0] : count, data, offset + first * shape[1],
                      shape[1])
                  : PackedMatrix.of(false, shape[0], count < 0 ? shape[1] : count, data, offset + first, shape[1]);
          packedFrom = data;
          version = v;
        }
        return packed;
      }
    }
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
