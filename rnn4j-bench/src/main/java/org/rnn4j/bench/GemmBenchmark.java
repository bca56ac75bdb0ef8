package org.rnn4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.rnn4j.math.Blas;
import org.rnn4j.math.Gemm;
import org.rnn4j.math.PackedMatrix;
import org.rnn4j.math.Parallel;

/**
 * C = A·B at the GEMM shapes of the workloads (m×k×n). GFLOP/s = 2·m·k·n / (µs per op) / 1000.
 * {@code impl}: java (the Vector API kernel on row-major B, split over {@code threads} by Blas),
 * java-packed (the same kernel on B packed once, as layers pass their weights) or native (OpenBLAS
 * through netlib, which threads itself).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
  /** m x k x n, and what it is. */
  @Param({"16x32x128", "64x256x1024", "32x1024x4096", "1x256x1024", "8192x128x1024", "2048x256x4096"})
  public String shape;

  @Param({"java", "java-packed", "native"})
  public String impl;

  @Param({"1", "2"})
  public int threads;

  int m;
  int k;
  int n;
  float[] a;
  float[] b;
  float[] c;
  Gemm gemm;
  PackedMatrix packed;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String[] s = shape.split("x");
    m = Integer.parseInt(s[0]);
    k = Integer.parseInt(s[1]);
    n = Integer.parseInt(s[2]);
    a = new float[m * k];
    b = new float[k * n];
    c = new float[m * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (i % 17) * 1e-3f;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (i % 13) * 1e-3f;
    }
    Parallel.setThreads(threads);
    gemm = impl.equals("native") ? Blas.nativeOrNull() : null;
    packed = impl.equals("java-packed") ? PackedMatrix.of(false, k, n, b, 0, n) : null;
    if (impl.equals("native") && gemm == null) {
      throw new IllegalStateException("no native BLAS on this machine");
    }
  }

  @Benchmark
  public float[] gemm() {
    if (gemm != null) {
      gemm.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c, 0, n);
    } else if (packed != null) {
      Blas.gemm(m, a, 0, k, packed, 0f, c, 0, n);
    } else {
      Blas.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c, 0, n);
    }
    return c;
  }
}
