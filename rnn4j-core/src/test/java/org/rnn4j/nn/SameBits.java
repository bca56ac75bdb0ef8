package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.rnn4j.math.Blas;

/**
 * Two paths that must give the same numbers: exactly under rnn4j's kernels, which compute each
 * element as one fma chain in a fixed order whatever the shape; within a tolerance under native
 * BLAS, which blocks and splits products its own way.
 */
final class SameBits {
  private SameBits() {}

  static void assertSameBits(float[] expected, float[] actual, float nativeTolerance, String what) {
    if (Blas.current().name().startsWith("java")) {
      assertArrayEquals(expected, actual, what);
    } else {
      assertArrayEquals(expected, actual, nativeTolerance, what + " (" + Blas.current().name() + ")");
    }
  }
}
