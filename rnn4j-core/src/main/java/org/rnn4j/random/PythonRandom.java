package org.rnn4j.random;

/**
 * CPython's {@code random} module ({@link Mt19937} seeded by init_by_array) as far as
 * {@code random.seed(int)} and {@code random.shuffle(list)} go, so that example orders match a
 * PyTorch script that shuffles with Python's {@code random}. Not thread-safe.
 */
public final class PythonRandom {
  private final Mt19937 mt;

  /** The generator after {@code random.seed(seed)}; like CPython, the sign of the seed is ignored. */
  public PythonRandom(long seed) {
    long magnitude = seed == Long.MIN_VALUE ? seed : Math.abs(seed);
    mt = Mt19937.seededByArray((magnitude >>> 32) == 0
        ? new int[] {(int) magnitude}
        : new int[] {(int) magnitude, (int) (magnitude >>> 32)});
  }

  /** {@code random._randbelow(n)}: {@code getrandbits(n.bit_length())} until the value is below n. */
  int below(int n) {
    int bits = 32 - Integer.numberOfLeadingZeros(n);
    int r;
    do {
      r = mt.nextInt() >>> (32 - bits);
    } while (r >= n);
    return r;
  }

  /** {@code random.shuffle(a)} on the first {@code n} entries. */
  public void shuffle(int[] a, int n) {
    for (int i = n - 1; i > 0; i--) {
      int j = below(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
