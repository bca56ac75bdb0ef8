package org.rnn4j;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.math.Blas;
import org.rnn4j.math.Parallel;
import org.rnn4j.math.Vectorization;
import org.rnn4j.network.ClassifierNet;

/** Version and runtime facts, recorded in model provenance and benchmark results. */
public final class Rnn4j {
  public static final String VERSION = "0.1.0";

  private Rnn4j() {}

  /** Java version, GEMM implementation, vector species, thread count and inference lookup budget. */
  public static Map<String, Object> environment() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rnn4j", VERSION);
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("gemm", Blas.current().name());
    m.put("vector", Vectorization.describe());
    m.put("threads", Parallel.threads());
    m.put("lookup_budget_mb", ClassifierNet.lookupBudgetBytes() >> 20);
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
      ClassifierNet.lookupBudgetBytes();
    } catch (ExceptionInInitializerError e) {
      if (e.getCause() instanceof IllegalArgumentException) {
        throw (IllegalArgumentException) e.getCause();
      }
      throw e;
    }
  }
}
