package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rnn4j.math.KernelTuning;

/** The tuner's reading of its unit-split measurements. */
class KernelTunerTest {
  private static final int[] HIDDEN = {256, 512, 768, 1024};

  @Test
  void thresholdFrom_smallestSizeFromWhichEveryLargerWon() {
    assertEquals(4L * 768 * 768 * 4, KernelTuner.thresholdFrom(HIDDEN, new double[] {1.4, 1.07, 0.94, 0.85}));
    assertEquals(4L * 256 * 256 * 4, KernelTuner.thresholdFrom(HIDDEN, new double[] {0.9, 0.9, 0.9, 0.9}));
  }

  @Test
  void thresholdFrom_aLargerSizeThatLost_keepsTheSplitAboveIt() {
    // 512 won but 768 did not: the split starts above 768 only
    assertEquals(4L * 1024 * 1024 * 4, KernelTuner.thresholdFrom(HIDDEN, new double[] {1.2, 0.9, 1.01, 0.8}));
  }

  @Test
  void thresholdFrom_withinTheMargin_isNever() {
    assertEquals(KernelTuning.NEVER, KernelTuner.thresholdFrom(HIDDEN, new double[] {1.2, 1.1, 1.0, 0.99}));
  }
}
