package org.rnn4j.random;

/**
 * The 32-bit Mersenne Twister (Matsumoto and Nishimura's mt19937ar), the generator under both
 * PyTorch's CPU generator and Python's {@code random}; they differ only in how they seed it.
 */
final class Mt19937 {
  private static final int N = 624;
  private static final int M = 397;
  private final int[] mt = new int[N];
  private int next;

  /** {@code init_genrand(seed)}: PyTorch's seeding. */
  static Mt19937 seeded(int seed) {
    Mt19937 g = new Mt19937();
    g.initGenrand(seed);
    return g;
  }

  /** {@code init_by_array(key)}: Python's seeding, the key being the seed's 32-bit words. */
  static Mt19937 seededByArray(int[] key) {
    Mt19937 g = new Mt19937();
    g.initGenrand(19650218);
    int[] mt = g.mt;
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
    return g;
  }

  private void initGenrand(int s) {
    mt[0] = s;
    for (int i = 1; i < N; i++) {
      mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
    }
    next = N;
  }

  /** The next 32 random bits ({@code genrand_int32}); read them as unsigned. */
  int nextInt() {
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
}
