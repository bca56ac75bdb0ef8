import jdk.incubator.vector.*;

/**
 * The batch-1 counterpart of Bf16WeightsProbe: one thread's half of a W2 step at batch 1 (the latency case), h (1 × 256)
 * times W_hh packed in 96-column panels (576 columns), where every weight is read once per step and the product is
 * bound by reading them from L2. float32 against bf16 pairs widened in registers, on each of THREADS threads at once.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector bench/probes/Bf16GemvProbe.java THREADS} (AVX-512).
 */
public class Bf16GemvProbe {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
  static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
  static final int K = 256, N = 576, W = 96;

  static void gemvF(float[] a, float[] b, float[] c) {
    for (int j = 0; j < N; j += W) {
      int bi = j * K;
      FloatVector x0 = FloatVector.fromArray(S, c, j), x1 = FloatVector.fromArray(S, c, j + 16), x2 = FloatVector.fromArray(S, c, j + 32), x3 = FloatVector.fromArray(S, c, j + 48), x4 = FloatVector.fromArray(S, c, j + 64), x5 = FloatVector.fromArray(S, c, j + 80);
      for (int k = 0; k < K; k++, bi += W) {
        FloatVector a0 = FloatVector.broadcast(S, a[k]);
        x0 = a0.fma(FloatVector.fromArray(S, b, bi), x0); x1 = a0.fma(FloatVector.fromArray(S, b, bi + 16), x1); x2 = a0.fma(FloatVector.fromArray(S, b, bi + 32), x2);
        x3 = a0.fma(FloatVector.fromArray(S, b, bi + 48), x3); x4 = a0.fma(FloatVector.fromArray(S, b, bi + 64), x4); x5 = a0.fma(FloatVector.fromArray(S, b, bi + 80), x5);
      }
      x0.intoArray(c, j); x1.intoArray(c, j + 16); x2.intoArray(c, j + 32); x3.intoArray(c, j + 48); x4.intoArray(c, j + 64); x5.intoArray(c, j + 80);
    }
  }
  static void gemvB(float[] a, int[] b, float[] c) {
    for (int j = 0; j < N; j += W) {
      int bi = j * K / 2;
      FloatVector x0 = FloatVector.fromArray(S, c, j), x1 = FloatVector.fromArray(S, c, j + 16), x2 = FloatVector.fromArray(S, c, j + 32), x3 = FloatVector.fromArray(S, c, j + 48), x4 = FloatVector.fromArray(S, c, j + 64), x5 = FloatVector.fromArray(S, c, j + 80);
      for (int k = 0; k < K; k++, bi += W / 2) {
        FloatVector a0 = FloatVector.broadcast(S, a[k]);
        IntVector p0 = IntVector.fromArray(I, b, bi), p1 = IntVector.fromArray(I, b, bi + 16), p2 = IntVector.fromArray(I, b, bi + 32);
        x0 = a0.fma(p0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), x0); x1 = a0.fma(p0.and(0xFFFF0000).reinterpretAsFloats(), x1);
        x2 = a0.fma(p1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), x2); x3 = a0.fma(p1.and(0xFFFF0000).reinterpretAsFloats(), x3);
        x4 = a0.fma(p2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), x4); x5 = a0.fma(p2.and(0xFFFF0000).reinterpretAsFloats(), x5);
      }
      x0.intoArray(c, j); x1.intoArray(c, j + 16); x2.intoArray(c, j + 32); x3.intoArray(c, j + 48); x4.intoArray(c, j + 64); x5.intoArray(c, j + 80);
    }
  }

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    java.util.Random r = new java.util.Random(1);
    float[][] A = new float[threads][], C = new float[threads][], BF = new float[threads][]; int[][] BB = new int[threads][];
    for (int t = 0; t < threads; t++) {
      A[t] = new float[K]; for (int i = 0; i < K; i++) A[t][i] = (float) r.nextGaussian();
      BF[t] = new float[K * N]; for (int i = 0; i < BF[t].length; i++) BF[t][i] = (float) r.nextGaussian() * 0.05f;
      BB[t] = new int[K * N / 2]; for (int i = 0; i < BB[t].length; i++) BB[t][i] = Float.floatToIntBits(BF[t][i]) & 0xFFFF0000 | (Float.floatToIntBits(BF[t][i + BB[t].length]) >>> 16);
      C[t] = new float[N];
    }
    double flop = 2.0 * K * N;
    for (int round = 0; round < 8; round++) {
      for (int mode = 0; mode < 2; mode++) {
        final int md = mode; final int reps = 200_000;
        Thread[] ts = new Thread[threads];
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) { final int tt = t;
          ts[t] = new Thread(() -> { for (int i = 0; i < reps; i++) { if (md == 0) gemvF(A[tt], BF[tt], C[tt]); else gemvB(A[tt], BB[tt], C[tt]); } });
          ts[t].start(); }
        for (Thread t : ts) t.join();
        double s = (System.nanoTime() - t0) / 1e9;
        if (round >= 2) System.out.printf("round %d %s: %.2f us per product, %.1f GFLOP/s per thread%n", round, md == 0 ? "f32 " : "bf16", s / reps * 1e6, reps * flop / s / 1e9);
      }
    }
  }
}
