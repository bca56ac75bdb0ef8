package org.rnn4j.random;

/**
 * PyTorch's CPU generator (mt19937) and the CPU kernels of {@code Tensor.uniform_} and
 * {@code Tensor.normal_} of PyTorch 1.13, so that {@code TorchGenerator.seeded(n)} draws the same
 * initial weights as {@code torch.manual_seed(n)} followed by building the same modules in the
 * same order. Used only for initialisation, where matching PyTorch lets a run be compared with
 * PyTorch's seed for seed; training randomness (dropout, sampling) uses {@link Rng}.
 *
 * <p>Uniform draws are bit-identical to PyTorch's. Normal draws of 16 or more values follow the AVX2
 * kernel PyTorch dispatches to on x86, whose Cephes log and sincos differ from the JDK's by up to
 * 2 ulp; fewer values take PyTorch's double-precision path and are identical. Not thread-safe.
 */
public final class TorchGenerator {
  private final Mt19937 mt;
  // PyTorch caches the second Box-Muller value of its scalar normal sampler in the generator.
  private double cachedNormal;
  private boolean hasCachedNormal;

  private TorchGenerator(long seed) {
    mt = Mt19937.seeded((int) seed); // PyTorch seeds mt19937 with the low 32 bits
  }

  /** The generator after {@code torch.manual_seed(seed)}. */
  public static TorchGenerator seeded(long seed) {
    return new TorchGenerator(seed);
  }

  /** The next 32 random bits ({@code generator.random()} in PyTorch), as an unsigned value. */
  public long nextUnsignedInt() {
    return mt.nextInt() & 0xFFFFFFFFL;
  }

  private float nextUnitFloat() {
    return (nextUnsignedInt() & 0xFFFFFF) * 0x1.0p-24f; // 24 random bits, [0, 1)
  }

  private double nextUnitDouble() {
    long hi = nextUnsignedInt();
    long lo = nextUnsignedInt();
    return (((hi << 32) | lo) & ((1L << 53) - 1)) * 0x1.0p-53; // random64(), 53 bits
  }

  /** {@code tensor.uniform_(from, to)} on {@code n} floats of {@code a} from {@code offset}. */
  public void uniform(float[] a, int offset, int n, double from, double to) {
    float lo = (float) from;
    float width = (float) to - lo;
    for (int i = 0; i < n; i++) {
      a[offset + i] = Math.fma(nextUnitFloat(), width, lo);
    }
  }

  /**
   * {@code tensor.normal_(mean, std)} on {@code n} contiguous floats: for 16 or more, PyTorch fills
   * uniforms first and transforms them in blocks of 16 (recomputing the last block when n is not
   * a multiple of 16); fewer go through its scalar double-precision sampler.
   */
  public void normal(float[] a, int offset, int n, double mean, double std) {
    float m = (float) mean;
    float s = (float) std;
    if (n < 16) {
      for (int i = 0; i < n; i++) {
        a[offset + i] = (float) (nextScalarNormal() * std + mean);
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      a[offset + i] = nextUnitFloat();
    }
    for (int i = 0; i + 16 <= n; i += 16) {
      normalFill16(a, offset + i, m, s);
    }
    if (n % 16 != 0) {
      int last = offset + n - 16;
      for (int i = 0; i < 16; i++) {
        a[last + i] = nextUnitFloat();
      }
      normalFill16(a, last, m, s);
    }
  }

  // torch 1.13 on x86 dispatches to normal_fill_16_AVX2: theta = float(2 pi) * u2 in float.
  private static final float TWO_PI = (float) (2 * Math.PI);

  private static void normalFill16(float[] a, int at, float mean, float std) {
    for (int j = 0; j < 8; j++) {
      float u1 = 1 - a[at + j]; // (0, 1] for the log
      float u2 = a[at + j + 8];
      float radius = (float) Math.sqrt(-2 * (float) Math.log(u1));
      float theta = TWO_PI * u2;
      a[at + j] = Math.fma(radius * (float) Math.cos(theta), std, mean);
      a[at + j + 8] = Math.fma(radius * (float) Math.sin(theta), std, mean);
    }
  }

  private double nextScalarNormal() {
    if (hasCachedNormal) {
      hasCachedNormal = false;
      return cachedNormal;
    }
    double u1 = nextUnitDouble();
    double u2 = nextUnitDouble();
    double r = Math.sqrt(-2.0 * Math.log1p(-u2));
    double theta = 2.0 * Math.PI * u1;
    cachedNormal = r * Math.sin(theta);
    hasCachedNormal = true;
    return r * Math.cos(theta);
  }
}
