package org.rnn4j.random;

import java.util.Arrays;

/**
 * A small, fast, seedable random generator (xoshiro256**) whose whole state is four longs, so
 * training runs can checkpoint it and resume bit-identically. Not thread-safe: give each thread
 * its own instance via {@link #split()}.
 */
public final class Rng {
  private long s0, s1, s2, s3;

  public Rng(long seed) {
    long x = seed;
    s0 = splitMix(x += 0x9E3779B97F4A7C15L);
    s1 = splitMix(x += 0x9E3779B97F4A7C15L);
    s2 = splitMix(x += 0x9E3779B97F4A7C15L);
    s3 = splitMix(x + 0x9E3779B97F4A7C15L);
  }

  private Rng(long[] state) {
    s0 = state[0];
    s1 = state[1];
    s2 = state[2];
    s3 = state[3];
  }

  /** Restores a generator from {@link #state()}. */
  public static Rng fromState(long[] state) {
    if (state == null || state.length != 4) {
      throw new IllegalArgumentException("state must hold 4 longs, got " + Arrays.toString(state));
    }
    return new Rng(state);
  }

  /** The full generator state; {@code fromState(state())} continues the same sequence. */
  public long[] state() {
    return new long[] {s0, s1, s2, s3};
  }

  private static long splitMix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public long nextLong() {
    long result = Long.rotateLeft(s1 * 5, 7) * 9;
    long t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = Long.rotateLeft(s3, 45);
    return result;
  }

  /** An independent generator seeded from this one. */
  public Rng split() {
    return new Rng(nextLong());
  }

  /** Uniform in [0, bound), unbiased (Lemire's method). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    long m = (nextLong() >>> 32) * bound;
    long low = m & 0xFFFFFFFFL;
    if (low < bound) {
      long threshold = (0x100000000L - bound) % bound;
      while (low < threshold) {
        m = (nextLong() >>> 32) * bound;
        low = m & 0xFFFFFFFFL;
      }
    }
    return (int) (m >>> 32);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, 1) with 24 random bits. */
  public float nextFloat() {
    return (nextLong() >>> 40) * 0x1.0p-24f;
  }

  /** Uniform in [lo, hi). */
  public float uniform(float lo, float hi) {
    return (float) (lo + (hi - lo) * nextDouble());
  }

  /** Standard normal by Box-Muller; one value per call keeps the state simple to checkpoint. */
  public double nextGaussian() {
    double u1 = 1.0 - nextDouble(); // (0, 1]
    double u2 = nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  /** Fisher-Yates shuffle of the first {@code n} entries. */
  public void shuffle(int[] a, int n) {
    for (int i = n - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  public void shuffle(int[] a) {
    shuffle(a, a.length);
  }
}
