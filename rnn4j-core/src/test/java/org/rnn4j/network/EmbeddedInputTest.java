package org.rnn4j.network;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When the first layer runs over distinct tokens, at the shapes its rule was measured on. */
class EmbeddedInputTest {
  @Test
  void worthGrouping_largeBatchesWithRepeatedTokens() {
    assertTrue(EmbeddedInput.worthGrouping(6720, 8192, 128, 1024), "W2: 20,000 random ids, 8,192 rows");
    assertTrue(EmbeddedInput.worthGrouping(6720, 8192, 128, 768), "W4");
    assertTrue(EmbeddedInput.worthGrouping(80, 2048, 64, 512), "character model, 32 streams of 64");
  }

  @Test
  void worthGrouping_smallSavings_keepTheGatheredRows() {
    assertFalse(EmbeddedInput.worthGrouping(450, 700, 64, 128), "AG News lesson batch of 16 texts");
    assertFalse(EmbeddedInput.worthGrouping(998, 1024, 64, 128), "W1: almost every id distinct");
    assertFalse(EmbeddedInput.worthGrouping(1946, 2048, 256, 4096), "W6: 95% distinct");
  }

  @Test
  void worthGrouping_atBothBoundaries() {
    // A tenth of the rows spared, and exactly the minimum saving: 1024 × 128 × 128 = 16 Mi.
    assertTrue(EmbeddedInput.worthGrouping(9216, 10240, 128, 128));
    assertFalse(EmbeddedInput.worthGrouping(9217, 10240, 128, 128), "just under a tenth");
    assertFalse(EmbeddedInput.worthGrouping(9216, 10240, 128, 127), "just under the saving");
  }
}
