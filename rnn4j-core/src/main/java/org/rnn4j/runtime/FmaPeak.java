package org.rnn4j.runtime;

import org.rnn4j.math.Parallel;
import org.rnn4j.math.Vectorization;

/**
 * The machine's fused multiply-add throughput on the threads of {@link Parallel}, measured: the
 * ceiling of any GEMM here. Benchmarks divide their model FLOPs by it, so that a speed says how much
 * of the machine it uses and not only how it compares: twice the speed of a framework that uses
 * half of the peak needs all of it.
 */
public final class FmaPeak {
  /** Independent chains: enough to cover the fma latency of current x86 and ARM cores. */
  static final int CHAINS = 12;
  /** Iterations per call, well under a millisecond, so that a round ends on time. */
  static final int CALL = 20_000;
  private static volatile float sink;

  private FmaPeak() {}

  /**
   * GFLOP/s (an fma is 2) of independent fma chains on every thread, on the Vector API when
   * enabled: the best of five rounds after a warm-up, {@code seconds} in all.
   */
  public static double gflops(double seconds) {
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("seconds must be > 0, got " + seconds);
    }
    int threads = Parallel.threads();
    long[] calls = new long[threads];
    long round = (long) (seconds / 6 * 1e9);
    double best = 0;
    for (int r = 0; r < 6; r++) {
      long t0 = System.nanoTime();
      long end = t0 + round;
      Parallel.run(threads, (part, total) -> {
        long n = 0;
        float acc = 0;
        do {
          acc += Vectorization.ENABLED ? VectorFmaPeak.chains(CALL) : chains(CALL);
          n++;
        } while (System.nanoTime() < end);
        calls[part] = n;
        sink = acc;
      });
      double elapsed = (System.nanoTime() - t0) / 1e9;
      long total = 0;
      for (long c : calls) {
        total += c;
      }
      if (r > 0) { // the first round pays for compilation
        best = Math.max(best, total * CALL * 2.0 * CHAINS * Vectorization.lanes() / elapsed / 1e9);
      }
    }
    return best;
  }

  /** The scalar path's chains (C2 does not vectorise them: they are the scalar peak). */
  static float chains(int iterations) {
    float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0, a10 = 0, a11 = 0;
    float m = 0.9999f;
    float c = 1e-4f;
    for (int i = 0; i < iterations; i++) {
      a0 = Math.fma(a0, m, c);
      a1 = Math.fma(a1, m, c);
      a2 = Math.fma(a2, m, c);
      a3 = Math.fma(a3, m, c);
      a4 = Math.fma(a4, m, c);
      a5 = Math.fma(a5, m, c);
      a6 = Math.fma(a6, m, c);
      a7 = Math.fma(a7, m, c);
      a8 = Math.fma(a8, m, c);
      a9 = Math.fma(a9, m, c);
      a10 = Math.fma(a10, m, c);
      a11 = Math.fma(a11, m, c);
    }
    return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
  }
}
