import jdk.incubator.vector.*;

/**
 * Would weights stored in bf16 pay for inference (issue 26, item 4)? The Vector API has no bf16 dot
 * product, so the kernel widens each bf16 pair to two float vectors (a shift and a mask) and keeps the
 * float32 fma; what bf16 could save is the stream of the weights, which is what bounds W6's recurrent
 * step (BENCHMARKS.md, "W6 inference: the arithmetic on this CPU"). This times one thread's share of
 * that step, 32 × 1024 × 2112 with the weights (8.3 MiB in float32) far beyond L2, in rnn4j's
 * 4 × 6-vector micro-kernel over packed 96-column panels, K blocks of 256, in float32 and in bf16 pairs,
 * on each of THREADS threads at once (2: both threads streaming from L3, as in W6), alternating.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector bench/probes/Bf16WeightsProbe.java THREADS}
 * (needs AVX-512: 16-lane vectors). Prints the product's relative rms error in bf16 and GFLOP/s.
 */
public class Bf16WeightsProbe {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
  /** Two bf16 per int: the low half is column 2v·16 + l of a panel row, the high half column (2v + 1)·16 + l. */
  static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
  static final int L = 16, M = 32, K = 1024, N = 2112, KC = 256, W = 96;

  // packed float: for panel p (96 cols), kc block, rows kk: 96 floats contiguous
  static float[] packF(float[] b) { // b: K x N row-major
    float[] out = new float[K * N]; int o = 0;
    for (int j = 0; j < N; j += W) { int w = Math.min(W, N - j);
      for (int kk = 0; kk < K; kk++) for (int q = 0; q < w; q++) out[o++] = b[kk * N + j + q]; }
    return out;
  }
  // packed bf16 pairs: per row of a panel, 48 ints (see I above), rounded toward zero as a plain cut
  static int[] packB(float[] b) {
    int[] out = new int[K * N / 2]; int o = 0;
    for (int j = 0; j < N; j += W) { int w = Math.min(W, N - j);
      for (int kk = 0; kk < K; kk++) for (int v = 0; v < w / 32; v++) for (int l = 0; l < 16; l++) {
        int lo = Float.floatToIntBits(b[kk * N + j + 2 * v * 16 + l]) >>> 16;
        int hi = Float.floatToIntBits(b[kk * N + j + (2 * v + 1) * 16 + l]) & 0xFFFF0000;
        out[o++] = hi | lo; } }
    return out;
  }

  static void gemmF(float[] a, float[] b, float[] c) {
    for (int k0 = 0; k0 < K; k0 += KC)
      for (int j = 0; j < N; j += W) {
        int bj = j * K + k0 * W;
        for (int i = 0; i < M; i += 4) f4x6(a, i * K + k0, b, bj, c, i * N + j, k0 == 0 ? 1f : 0f);
      }
  }
  static void gemmB(float[] a, int[] b, float[] c) {
    for (int k0 = 0; k0 < K; k0 += KC)
      for (int j = 0; j < N; j += W) {
        int bj = (j * K + k0 * W) / 2;
        for (int i = 0; i < M; i += 4) b4x6(a, i * K + k0, b, bj, c, i * N + j, k0 == 0 ? 1f : 0f);
      }
  }

  static void f4x6(float[] a, int ai, float[] b, int bi, float[] c, int ci, float fromZero) {
    VectorMask<Float> clear = FloatVector.broadcast(S, fromZero).compare(VectorOperators.NE, 0f);
    FloatVector x00 = FloatVector.fromArray(S, c, ci).blend(0f, clear), x01 = FloatVector.fromArray(S, c, ci + 16).blend(0f, clear), x02 = FloatVector.fromArray(S, c, ci + 32).blend(0f, clear), x03 = FloatVector.fromArray(S, c, ci + 48).blend(0f, clear), x04 = FloatVector.fromArray(S, c, ci + 64).blend(0f, clear), x05 = FloatVector.fromArray(S, c, ci + 80).blend(0f, clear);
    int c1 = ci + N, c2 = ci + 2 * N, c3 = ci + 3 * N;
    FloatVector x10 = FloatVector.fromArray(S, c, c1).blend(0f, clear), x11 = FloatVector.fromArray(S, c, c1 + 16).blend(0f, clear), x12 = FloatVector.fromArray(S, c, c1 + 32).blend(0f, clear), x13 = FloatVector.fromArray(S, c, c1 + 48).blend(0f, clear), x14 = FloatVector.fromArray(S, c, c1 + 64).blend(0f, clear), x15 = FloatVector.fromArray(S, c, c1 + 80).blend(0f, clear);
    FloatVector x20 = FloatVector.fromArray(S, c, c2).blend(0f, clear), x21 = FloatVector.fromArray(S, c, c2 + 16).blend(0f, clear), x22 = FloatVector.fromArray(S, c, c2 + 32).blend(0f, clear), x23 = FloatVector.fromArray(S, c, c2 + 48).blend(0f, clear), x24 = FloatVector.fromArray(S, c, c2 + 64).blend(0f, clear), x25 = FloatVector.fromArray(S, c, c2 + 80).blend(0f, clear);
    FloatVector x30 = FloatVector.fromArray(S, c, c3).blend(0f, clear), x31 = FloatVector.fromArray(S, c, c3 + 16).blend(0f, clear), x32 = FloatVector.fromArray(S, c, c3 + 32).blend(0f, clear), x33 = FloatVector.fromArray(S, c, c3 + 48).blend(0f, clear), x34 = FloatVector.fromArray(S, c, c3 + 64).blend(0f, clear), x35 = FloatVector.fromArray(S, c, c3 + 80).blend(0f, clear);
    for (int kk = 0; kk < KC; kk++, bi += W, ai++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi), b1 = FloatVector.fromArray(S, b, bi + 16), b2 = FloatVector.fromArray(S, b, bi + 32), b3 = FloatVector.fromArray(S, b, bi + 48), b4 = FloatVector.fromArray(S, b, bi + 64), b5 = FloatVector.fromArray(S, b, bi + 80);
      FloatVector a0 = FloatVector.broadcast(S, a[ai]);
      x00 = a0.fma(b0, x00); x01 = a0.fma(b1, x01); x02 = a0.fma(b2, x02); x03 = a0.fma(b3, x03); x04 = a0.fma(b4, x04); x05 = a0.fma(b5, x05);
      FloatVector a1 = FloatVector.broadcast(S, a[ai + K]);
      x10 = a1.fma(b0, x10); x11 = a1.fma(b1, x11); x12 = a1.fma(b2, x12); x13 = a1.fma(b3, x13); x14 = a1.fma(b4, x14); x15 = a1.fma(b5, x15);
      FloatVector a2 = FloatVector.broadcast(S, a[ai + 2 * K]);
      x20 = a2.fma(b0, x20); x21 = a2.fma(b1, x21); x22 = a2.fma(b2, x22); x23 = a2.fma(b3, x23); x24 = a2.fma(b4, x24); x25 = a2.fma(b5, x25);
      FloatVector a3 = FloatVector.broadcast(S, a[ai + 3 * K]);
      x30 = a3.fma(b0, x30); x31 = a3.fma(b1, x31); x32 = a3.fma(b2, x32); x33 = a3.fma(b3, x33); x34 = a3.fma(b4, x34); x35 = a3.fma(b5, x35);
    }
    x00.intoArray(c, ci); x01.intoArray(c, ci + 16); x02.intoArray(c, ci + 32); x03.intoArray(c, ci + 48); x04.intoArray(c, ci + 64); x05.intoArray(c, ci + 80);
    x10.intoArray(c, c1); x11.intoArray(c, c1 + 16); x12.intoArray(c, c1 + 32); x13.intoArray(c, c1 + 48); x14.intoArray(c, c1 + 64); x15.intoArray(c, c1 + 80);
    x20.intoArray(c, c2); x21.intoArray(c, c2 + 16); x22.intoArray(c, c2 + 32); x23.intoArray(c, c2 + 48); x24.intoArray(c, c2 + 64); x25.intoArray(c, c2 + 80);
    x30.intoArray(c, c3); x31.intoArray(c, c3 + 16); x32.intoArray(c, c3 + 32); x33.intoArray(c, c3 + 48); x34.intoArray(c, c3 + 64); x35.intoArray(c, c3 + 80);
  }

  static void b4x6(float[] a, int ai, int[] b, int bi, float[] c, int ci, float fromZero) {
    VectorMask<Float> clear = FloatVector.broadcast(S, fromZero).compare(VectorOperators.NE, 0f);
    FloatVector x00 = FloatVector.fromArray(S, c, ci).blend(0f, clear), x01 = FloatVector.fromArray(S, c, ci + 16).blend(0f, clear), x02 = FloatVector.fromArray(S, c, ci + 32).blend(0f, clear), x03 = FloatVector.fromArray(S, c, ci + 48).blend(0f, clear), x04 = FloatVector.fromArray(S, c, ci + 64).blend(0f, clear), x05 = FloatVector.fromArray(S, c, ci + 80).blend(0f, clear);
    int c1 = ci + N, c2 = ci + 2 * N, c3 = ci + 3 * N;
    FloatVector x10 = FloatVector.fromArray(S, c, c1).blend(0f, clear), x11 = FloatVector.fromArray(S, c, c1 + 16).blend(0f, clear), x12 = FloatVector.fromArray(S, c, c1 + 32).blend(0f, clear), x13 = FloatVector.fromArray(S, c, c1 + 48).blend(0f, clear), x14 = FloatVector.fromArray(S, c, c1 + 64).blend(0f, clear), x15 = FloatVector.fromArray(S, c, c1 + 80).blend(0f, clear);
    FloatVector x20 = FloatVector.fromArray(S, c, c2).blend(0f, clear), x21 = FloatVector.fromArray(S, c, c2 + 16).blend(0f, clear), x22 = FloatVector.fromArray(S, c, c2 + 32).blend(0f, clear), x23 = FloatVector.fromArray(S, c, c2 + 48).blend(0f, clear), x24 = FloatVector.fromArray(S, c, c2 + 64).blend(0f, clear), x25 = FloatVector.fromArray(S, c, c2 + 80).blend(0f, clear);
    FloatVector x30 = FloatVector.fromArray(S, c, c3).blend(0f, clear), x31 = FloatVector.fromArray(S, c, c3 + 16).blend(0f, clear), x32 = FloatVector.fromArray(S, c, c3 + 32).blend(0f, clear), x33 = FloatVector.fromArray(S, c, c3 + 48).blend(0f, clear), x34 = FloatVector.fromArray(S, c, c3 + 64).blend(0f, clear), x35 = FloatVector.fromArray(S, c, c3 + 80).blend(0f, clear);
    for (int kk = 0; kk < KC; kk++, bi += W / 2, ai++) {
      IntVector p0 = IntVector.fromArray(I, b, bi), p1 = IntVector.fromArray(I, b, bi + 16), p2 = IntVector.fromArray(I, b, bi + 32);
      FloatVector b0 = p0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), b1 = p0.and(0xFFFF0000).reinterpretAsFloats();
      FloatVector b2 = p1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), b3 = p1.and(0xFFFF0000).reinterpretAsFloats();
      FloatVector b4 = p2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), b5 = p2.and(0xFFFF0000).reinterpretAsFloats();
      FloatVector a0 = FloatVector.broadcast(S, a[ai]);
      x00 = a0.fma(b0, x00); x01 = a0.fma(b1, x01); x02 = a0.fma(b2, x02); x03 = a0.fma(b3, x03); x04 = a0.fma(b4, x04); x05 = a0.fma(b5, x05);
      FloatVector a1 = FloatVector.broadcast(S, a[ai + K]);
      x10 = a1.fma(b0, x10); x11 = a1.fma(b1, x11); x12 = a1.fma(b2, x12); x13 = a1.fma(b3, x13); x14 = a1.fma(b4, x14); x15 = a1.fma(b5, x15);
      FloatVector a2 = FloatVector.broadcast(S, a[ai + 2 * K]);
      x20 = a2.fma(b0, x20); x21 = a2.fma(b1, x21); x22 = a2.fma(b2, x22); x23 = a2.fma(b3, x23); x24 = a2.fma(b4, x24); x25 = a2.fma(b5, x25);
      FloatVector a3 = FloatVector.broadcast(S, a[ai + 3 * K]);
      x30 = a3.fma(b0, x30); x31 = a3.fma(b1, x31); x32 = a3.fma(b2, x32); x33 = a3.fma(b3, x33); x34 = a3.fma(b4, x34); x35 = a3.fma(b5, x35);
    }
    x00.intoArray(c, ci); x01.intoArray(c, ci + 16); x02.intoArray(c, ci + 32); x03.intoArray(c, ci + 48); x04.intoArray(c, ci + 64); x05.intoArray(c, ci + 80);
    x10.intoArray(c, c1); x11.intoArray(c, c1 + 16); x12.intoArray(c, c1 + 32); x13.intoArray(c, c1 + 48); x14.intoArray(c, c1 + 64); x15.intoArray(c, c1 + 80);
    x20.intoArray(c, c2); x21.intoArray(c, c2 + 16); x22.intoArray(c, c2 + 32); x23.intoArray(c, c2 + 48); x24.intoArray(c, c2 + 64); x25.intoArray(c, c2 + 80);
    x30.intoArray(c, c3); x31.intoArray(c, c3 + 16); x32.intoArray(c, c3 + 32); x33.intoArray(c, c3 + 48); x34.intoArray(c, c3 + 64); x35.intoArray(c, c3 + 80);
  }

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    java.util.Random r = new java.util.Random(1);
    float[][] A = new float[threads][], C = new float[threads][], BF = new float[threads][]; int[][] BB = new int[threads][];
    for (int t = 0; t < threads; t++) {
      float[] b = new float[K * N]; for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian() * 0.03f;
      A[t] = new float[M * K]; for (int i = 0; i < A[t].length; i++) A[t][i] = (float) r.nextGaussian();
      C[t] = new float[M * N]; BF[t] = packF(b); BB[t] = packB(b);
      if (t == 0) { // accuracy check
        float[] c1 = new float[M * N], c2 = new float[M * N]; gemmF(A[0], BF[0], c1); gemmB(A[0], BB[0], c2);
        double num = 0, den = 0; for (int i = 0; i < c1.length; i++) { num += (c1[i]-c2[i])*(c1[i]-c2[i]); den += c1[i]*c1[i]; }
        System.out.printf("bf16 weights: relative rms error of the product %.2e%n", Math.sqrt(num / den));
      }
    }
    double flop = 2.0 * M * K * N;
    for (int round = 0; round < 8; round++) {
      for (int mode = 0; mode < 2; mode++) {
        final int md = mode; final int reps = 400;
        Thread[] ts = new Thread[threads];
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) { final int tt = t;
          ts[t] = new Thread(() -> { for (int i = 0; i < reps; i++) { if (md == 0) gemmF(A[tt], BF[tt], C[tt]); else gemmB(A[tt], BB[tt], C[tt]); } });
          ts[t].start(); }
        for (Thread t : ts) t.join();
        double s = (System.nanoTime() - t0) / 1e9;
        if (round >= 2) System.out.printf("round %d %s: %.1f GFLOP/s (all threads)%n", round, md == 0 ? "f32 " : "bf16", threads * reps * flop / s / 1e9);
      }
    }
  }
}
