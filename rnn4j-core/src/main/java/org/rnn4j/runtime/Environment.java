package org.rnn4j.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.Rnn4j;
import org.rnn4j.math.Blas;
import org.rnn4j.math.KernelTuning;
import org.rnn4j.math.Parallel;
import org.rnn4j.math.Vectorization;

/**
 * The runtime a model runs in, as provenance and benchmark results record it, and the
 * {@code -Drnn4j.*} settings, checked in one place before any work starts.
 */
public final class Environment {
  private Environment() {}

  /**
   * The largest input-projection table a classifier builds for inference, in floats (see {@link
   * #tableBudgetFloats}); reading the setting fails on a bad value.
   */
  public static long projectionTableBudgetFloats() {
    return tableBudgetFloats(Runtime.getRuntime().maxMemory(), System.getProperty("rnn4j.projectionTableMb"));
  }

  /**
   * The largest table, in floats: {@code -Drnn4j.projectionTableMb} megabytes when set (0 turns the
   * lookup off), else a quarter of the heap the JVM may grow to (under the launcher's heap, enough
   * for both directions of a medium model's first layer over a word vocabulary).
   * Tying it to the heap lets a user trade memory for speed with the one setting they already know.
   */
  static long tableBudgetFloats(long maxHeapBytes, String megabytes) {
    if (megabytes == null) {
      return maxHeapBytes / 4 / Float.BYTES;
    }
    long mb;
    try {
      mb = Long.parseLong(megabytes.trim());
    } catch (NumberFormatException e) {
      mb = -1;
    }
    if (mb < 0) {
      throw new IllegalArgumentException(
          "rnn4j.projectionTableMb must be a whole number of megabytes >= 0, got '" + megabytes + "'");
    }
    return mb * (1L << 20) / Float.BYTES;
  }

  /**
   * Java version, GEMM implementation, vector species, thread count, inference lookup budget, the CPU
   * and the kernel tuning in use.
   */
  public static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rnn4j", Rnn4j.VERSION);
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("gemm", Blas.current().name());
    m.put("vector", Vectorization.describe());
    m.put("threads", Parallel.threads());
    m.put("lookup_budget_mb", projectionTableBudgetFloats() * Float.BYTES >> 20);
    m.put("cpu", KernelTuning.cpuDescription());
    m.put("kernel_tuning", KernelTuning.current().toString());
    return m;
  }

  /**
   * Reads the -Drnn4j.* settings (rnn4j.gemm, rnn4j.projectionTableMb), so that a bad value is
   * reported as that, before any work starts, instead of failing the first class that reads it.
   *
   * @throws IllegalArgumentException naming the setting and the value
   */
  public static void checkSettings() {
    try {
      Blas.current();
      projectionTableBudgetFloats();
      KernelTuning.current();
    } catch (ExceptionInInitializerError e) {
      if (e.getCause() instanceof IllegalArgumentException) {
        throw (IllegalArgumentException) e.getCause();
      }
      throw e;
    }
  }
}
