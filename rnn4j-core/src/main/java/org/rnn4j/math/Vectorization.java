package org.rnn4j.math;

/**
 * Whether the Vector API ({@code jdk.incubator.vector}) is usable in this JVM. It is only when the
 * JVM was started with {@code --add-modules jdk.incubator.vector} (the {@code rnn4j} launcher and
 * the Maven build do this); otherwise every kernel takes its scalar path. {@code -Drnn4j.vector=false}
 * forces the scalar path.
 */
public final class Vectorization {
  /** True when the Vector API kernels are in use. */
  public static final boolean ENABLED = detect();

  private Vectorization() {}

  private static boolean detect() {
    if ("false".equalsIgnoreCase(System.getProperty("rnn4j.vector"))) {
      return false;
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      return VectorProbe.lanes() >= 4;
    } catch (Throwable t) {
      return false;
    }
  }

  /** Floats per vector register in use, or 1 on the scalar path. */
  public static int lanes() {
    return ENABLED ? VectorProbe.lanes() : 1;
  }

  /** A description such as {@code Species[float, 16, S_512_BIT]} or {@code scalar}. */
  public static String describe() {
    return ENABLED ? VectorProbe.describe() : "scalar";
  }
}
