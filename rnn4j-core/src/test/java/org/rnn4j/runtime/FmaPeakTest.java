package org.rnn4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.math.Vectorization;

/** The probe's arithmetic, not its speed: speeds belong to benchmarks. */
class FmaPeakTest {
  @Test
  void chains_vectorLanesComputeWhatTheScalarChainsCompute() {
    if (!Vectorization.ENABLED) {
      return;
    }
    // Every lane runs the scalar chain, so the FLOPs counted per vector are really done; only the
    // final sum's order differs (12 x 16 terms near 1, measured error < 1e-5 relative).
    float scalar = FmaPeak.chains(1000);
    float vector = VectorFmaPeak.chains(1000);
    assertEquals(scalar * Vectorization.lanes(), vector, 1e-5 * Math.abs(vector));
  }

  @Test
  void chains_dependOnTheIterationCount() {
    assertTrue(FmaPeak.chains(10) != FmaPeak.chains(1000), "the loop was not run");
  }

  @Test
  void gflops_isPositive() {
    double g = FmaPeak.gflops(0.06);
    assertTrue(g > 0 && Double.isFinite(g), "gflops " + g);
  }

  @Test
  void gflops_nonPositiveSeconds() {
    assertThrows(IllegalArgumentException.class, () -> FmaPeak.gflops(0));
    assertThrows(IllegalArgumentException.class, () -> FmaPeak.gflops(Double.NaN));
  }
}
