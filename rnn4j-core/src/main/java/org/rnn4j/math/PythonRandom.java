package org.rnn4j.math;

/**
 * CPython's {@code random} module (mt19937 seeded by init_by_array) as far as
 * {@code random.seed(int)} and {@code random.shuffle(list)} go, so that example orders match a
 * PyTorch script that shuffles with Python's {@code random}. Not thread-safe.
 */
public final class PythonRandom {
  private static final int N = 624;
  private static final int M = 397;
  private final int[] mt = new int[N];
  private int next;

  /** The generator after {@code random.seed(seed)}; like CPython, the sign of the seed is ignored. */
  public PythonRandom(long seed) {
    long magnitude = seed == Long.MIN_VALUE ? seed : Math.abs(seed);
    int[] key = (magnitude >>> 32) == 0
        ? new int[] {(int) magnitude}
        : new int[] {(int) magnitude, (int) (magnitude >>> 32)};
    initByArray(key);
  }

  private void initGenrand(int s) {
    mt[0] = s;
    for (int i = 1; i < N; i++) {
      mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
    }
    next = N;
  }

  private void initByArray(int[] key) {
    initGenrand(19650218);
    int i = 1;
    int j = 0;
    for (int k = Math.max(N, key.length); k > 0; k--) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) {
        j = 0;
      }
    }
    for (int k = N - 1; k > 0; k--) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  private int nextInt32() {
    if (next >= N) {
      for (int k = 0; k < N; k++) {
        int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
        mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
      }
      next = 0;
    }
    int y = mt[next++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y;
  }

  /** {@code random._randbelow(n)}: {@code getrandbits(n.bit_length())} until the value is below n. */
  int below(int n) {
    int bits = 32 - Integer.numberOfLeadingZeros(n);
    int r;
    do {
      r = nextInt32() >>> (32 - bits);
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
