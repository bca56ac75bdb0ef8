package org.rnn4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All parameters of a model in one flat value array and one flat gradient array, in registration
 * order. One buffer lets the optimizer, gradient clipping and zeroing run as single fused passes.
 * Registration happens while the model is built; afterwards the arrays never move. They are sized
 * when first read, not per registration: copying a large embedding once per later parameter left
 * garbage of several times the model's size at start-up, and the heap grew to hold it.
 */
public final class ParameterSet {
  private final Map<String, Parameter> byName = new LinkedHashMap<>();
  private final List<Parameter> list = new ArrayList<>();
  private final Map<String, Parameter> aliases = new LinkedHashMap<>();
  // Volatile, and grown under the lock: whichever thread reads first, every thread sees one array.
  private volatile float[] data = new float[0];
  private volatile float[] grad = new float[0];
  private int size;
  private volatile long version;

  /** Registers a zero-initialised parameter. */
  public Parameter add(String name, int... shape) {
    if (byName.containsKey(name)) {
      throw new IllegalArgumentException("duplicate parameter name " + name);
    }
    for (int d : shape) {
      if (d <= 0) {
        throw new IllegalArgumentException("parameter " + name + " has a non-positive dimension "
            + Arrays.toString(shape));
      }
    }
    Parameter p = new Parameter(this, name, shape, size);
    size = Math.addExact(size, p.size());
    byName.put(name, p);
    list.add(p);
    return p;
  }

  public float[] data() {
    float[] d = data;
    return d.length == size ? d : grow()[0];
  }

  public float[] grad() {
    float[] g = grad;
    return g.length == size ? g : grow()[1];
  }

  /** Extends both arrays to the registered size, keeping what they hold; returns {data, grad}. */
  private synchronized float[][] grow() {
    if (data.length != size) {
      grad = Arrays.copyOf(grad, size);
      data = Arrays.copyOf(data, size);
    }
    return new float[][] {data, grad};
  }

  /** Total number of scalars. */
  public int size() {
    return size;
  }

  public List<Parameter> parameters() {
    return Collections.unmodifiableList(list);
  }

  /** Each parameter's shape by name, in registration order. */
  public Map<String, int[]> shapes() {
    Map<String, int[]> m = new LinkedHashMap<>();
    for (Parameter p : parameters()) {
      m.put(p.name(), p.shape());
    }
    return m;
  }

  /**
   * Gives a registered parameter a second name, as a PyTorch module whose attribute is assigned
   * another's tensor ({@code out.weight = tgt_emb.weight}) lists it under both in its state dict.
   * The parameter is still one: {@link #parameters()} lists it once, and both uses add into its
   * gradient.
   */
  public void alias(String name, Parameter p) {
    if (byName.containsKey(name)) {
      throw new IllegalArgumentException("duplicate parameter name " + name);
    }
    if (p.owner() != this) {
      throw new IllegalArgumentException(p.name() + " belongs to another parameter set");
    }
    byName.put(name, p);
    aliases.put(name, p);
  }

  /** The second names given by {@link #alias}, with their parameters. */
  public Map<String, Parameter> aliases() {
    return Collections.unmodifiableMap(aliases);
  }

  /** The parameter with this PyTorch name (or alias), or null. */
  public Parameter get(String name) {
    return byName.get(name);
  }

  /** The parameter with this name; IllegalArgumentException naming it when absent. */
  public Parameter require(String name) {
    Parameter p = byName.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no parameter named " + name);
    }
    return p;
  }

  public void zeroGrad() {
    Arrays.fill(grad(), 0f);
  }

  /** Marks the values as changed, invalidating derived caches such as packed weights. */
  public void touch() {
    version++;
  }

  /** A counter that changes whenever the values may have changed ({@link #touch()}). */
  public long version() {
    return version;
  }

  /** A copy of all values, in registration order. */
  public float[] snapshot() {
    return data().clone();
  }

  /** Restores values from {@link #snapshot()}. */
  public void restore(float[] values) {
    if (values.length != size) {
      throw new IllegalArgumentException("snapshot has " + values.length + " values, the set has "
          + size);
    }
    System.arraycopy(values, 0, data(), 0, size);
    touch();
  }
}
