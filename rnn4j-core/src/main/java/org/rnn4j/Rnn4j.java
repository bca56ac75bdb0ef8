package org.rnn4j;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.math.Blas;
import org.rnn4j.math.Parallel;
import org.rnn4j.math.Vectorization;

/** Version and runtime facts, recorded in model provenance and benchmark results. */
public final class Rnn4j {
  public static final String VERSION = "0.1.0";

  private Rnn4j() {}

  /** Java version, GEMM implementation, vector species and thread count. */
  public static Map<String, Object> environment() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rnn4j", VERSION);
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("gemm", Blas.current().name());
    m.put("vector", Vectorization.describe());
    m.put("threads", Parallel.threads());
    return m;
  }
}
