package org.rnn4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvironmentTest {
  @Test
  void tableBudgetFloats_defaultsToAQuarterOfTheHeap() {
    assertEquals((1L << 30) / 4 / 4, Environment.tableBudgetFloats(1L << 30, null)); // 256 MB under -Xmx1g
  }

  @Test
  void tableBudgetFloats_propertyInMegabytes() {
    assertEquals(100L * 1024 * 1024 / 4, Environment.tableBudgetFloats(1L << 30, "100"));
    assertEquals(7L * 1024 * 1024 / 4, Environment.tableBudgetFloats(1L << 30, " 7 "));
    assertEquals(0, Environment.tableBudgetFloats(1L << 30, "0")); // lookup off
  }

  @ParameterizedTest
  @CsvSource({"-1", "abc", "1.5", "''"})
  void tableBudgetFloats_rejectsWhatIsNotMegabytes(String value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Environment.tableBudgetFloats(1L << 30, value));
    assertEquals("rnn4j.projectionTableMb must be a whole number of megabytes >= 0, got '" + value + "'",
        e.getMessage());
  }
}
