package org.rnn4j.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.rnn4j.math.Blas;
import org.rnn4j.math.KernelTuning;
import org.rnn4j.math.PackedMatrix;
import org.rnn4j.network.ClassifierNet;
import org.rnn4j.network.NetConfig;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Pooling;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;

/**
 * {@code rnn4j bench --tune}: measures the {@link KernelTuning} choices on this machine. First the K
 * block, then the row block, on the products a recurrent model runs (input projection, recurrent
 * steps of a medium and a large layer, input and weight gradients); then, for LSTM layers of growing
 * hidden size, whether a time loop split by hidden units beats one split by sequences, which gives
 * the size of W_hh from which to split by units.
 *
 * <p>Timings on a shared virtual machine move between consecutive runs (BENCHMARKS.md, "Method"), so
 * candidates are timed in alternating rounds and compared by medians, and a candidate replaces the
 * default only when it is faster by at least {@link #MARGIN}. No choice changes a result (see
 * {@link KernelTuning}).
 */
final class KernelTuner {
  /**
   * A candidate must beat the default by this factor: two tuning runs on one machine differed by more
   * than 3% on the same candidate (BENCHMARKS.md, "What made the difference": per-CPU tuning).
   */
  static final double MARGIN = 1.05;
  private static final int ROUNDS = 5;
  private static final int[] KC = {128, 256, 512};
  private static final int[] MC = {48, 96, 192};
  /** LSTM hidden sizes whose loops are timed both ways: W_hh of 1, 4, 9 and 16 MiB. */
  private static final int[] HIDDEN = {256, 512, 768, 1024};

  private final double roundSeconds;
  private final Consumer<String> log;
  private final Map<String, Object> report = new LinkedHashMap<>();

  KernelTuner(double roundSeconds, Consumer<String> log) {
    this.roundSeconds = roundSeconds;
    this.log = log;
  }

  /** Every measurement and choice, for --json. */
  Map<String, Object> report() {
    return report;
  }

  /** Measures and returns the choices; leaves {@link KernelTuning#current()} as it found it. */
  KernelTuning tune() {
    KernelTuning before = KernelTuning.current();
    try {
      KernelTuning base = KernelTuning.DEFAULTS;
      List<Runnable> products = products();
      int kc = pick("kc", KC, base.kc(), v -> new KernelTuning(v, base.mc(), KernelTuning.NEVER), products);
      int mc = pick("mc", MC, base.mc(), v -> new KernelTuning(kc, v, KernelTuning.NEVER), products);
      long unitSplit = unitSplitFrom(kc, mc);
      KernelTuning chosen = new KernelTuning(kc, mc, unitSplit);
      report.put("chosen", Map.of("kc", kc, "mc", mc, "unit_split_weight_bytes", unitSplit));
      return chosen;
    } finally {
      KernelTuning.use(before);
    }
  }

  /**
   * The value of one blocking setting whose products' times, relative to the default's (geometric
   * mean over the products, median over rounds), are lowest, if by at least {@link #MARGIN}.
   */
  private int pick(String name, int[] values, int dflt, java.util.function.IntFunction<KernelTuning> tuning,
                   List<Runnable> products) {
    double[][] seconds = new double[values.length][products.size()];
    List<List<Double>> rounds = new ArrayList<>();
    for (int v = 0; v < values.length; v++) {
      rounds.add(new ArrayList<>());
    }
    for (int round = 0; round <= ROUNDS; round++) {
      for (int v = 0; v < values.length; v++) {
        KernelTuning.use(tuning.apply(values[v]));
        for (int p = 0; p < products.size(); p++) {
          seconds[v][p] = secondsPerCall(products.get(p));
        }
      }
      if (round == 0) {
        continue; // warm-up: the JIT compiles what the first round runs
      }
      int d = index(values, dflt);
      for (int v = 0; v < values.length; v++) {
        double logSum = 0;
        for (int p = 0; p < products.size(); p++) {
          logSum += Math.log(seconds[v][p] / seconds[d][p]);
        }
        rounds.get(v).add(Math.exp(logSum / products.size()));
      }
    }
    Map<String, Object> ratios = new LinkedHashMap<>();
    int best = dflt;
    double bestRatio = 1 / MARGIN;
    for (int v = 0; v < values.length; v++) {
      double ratio = BenchCommand.medianOf(rounds.get(v));
      ratios.put(String.valueOf(values[v]), ratio);
      log.accept(String.format(Locale.ROOT, "# %s %4d: time %.3f of the default's%s", name, values[v], ratio,
          values[v] == dflt ? " (default)" : ""));
      if (values[v] != dflt && ratio < bestRatio) {
        best = values[v];
        bestRatio = ratio;
      }
    }
    report.put(name + "_time_ratios", ratios);
    return best;
  }

  /**
   * The smallest W_hh (bytes) from which every measured layer ran faster split by units than by
   * sequences (by {@link #MARGIN}), or {@link KernelTuning#NEVER}.
   */
  private long unitSplitFrom(int kc, int mc) {
    KernelTuning bySequences = new KernelTuning(kc, mc, KernelTuning.NEVER);
    KernelTuning byUnits = new KernelTuning(kc, mc, 0);
    Map<String, Object> ratios = new LinkedHashMap<>();
    double[] ratio = new double[HIDDEN.length];
    for (int i = 0; i < HIDDEN.length; i++) {
      Runnable loop = lstmInference(HIDDEN[i]);
      List<Double> r = new ArrayList<>();
      for (int round = 0; round <= ROUNDS; round++) {
        KernelTuning.use(bySequences);
        double sequences = secondsPerCall(loop);
        KernelTuning.use(byUnits);
        double units = secondsPerCall(loop);
        if (round > 0) {
          r.add(units / sequences);
        }
      }
      ratio[i] = BenchCommand.medianOf(r);
      ratios.put(String.valueOf(weightBytes(HIDDEN[i])), ratio[i]);
      log.accept(String.format(Locale.ROOT, "# LSTM hidden %4d (W_hh %2d MiB): split by units takes %.3f of the time"
          + " split by sequences", HIDDEN[i], weightBytes(HIDDEN[i]) >> 20, ratio[i]));
    }
    report.put("unit_split_time_ratios", ratios);
    return thresholdFrom(HIDDEN, ratio);
  }

  /** The W_hh size of the smallest hidden size from which every larger one won by {@link #MARGIN}. */
  static long thresholdFrom(int[] hidden, double[] unitsOverSequences) {
    long from = KernelTuning.NEVER;
    for (int i = hidden.length - 1; i >= 0 && unitsOverSequences[i] * MARGIN <= 1; i--) {
      from = weightBytes(hidden[i]);
    }
    return from;
  }

  private static long weightBytes(int hidden) {
    return 4L * hidden * hidden * Float.BYTES;
  }

  /** Seconds per call, over calls for about one round. */
  private double secondsPerCall(Runnable call) {
    long t0 = System.nanoTime();
    long end = t0 + (long) (roundSeconds * 1e9);
    int n = 0;
    do {
      call.run();
      n++;
    } while (System.nanoTime() < end);
    return (System.nanoTime() - t0) / 1e9 / n;
  }

  private static int index(int[] values, int v) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == v) {
        return i;
      }
    }
    throw new AssertionError(v + " not in " + Arrays.toString(values));
  }

  /**
   * The products a recurrent model spends its time in, at W2's and W6's sizes: the input projection
   * (4096 × 1024 × 128), a medium and a large recurrent step (64 × 1024 × 256, 32 × 4096 × 1024), the
   * input gradient (4096 × 128 × 1024) and a weight gradient, Aᵀ·B (1024 × 128 × 4096).
   */
  private static List<Runnable> products() {
    Rng rng = new Rng(7);
    List<Runnable> out = new ArrayList<>();
    out.add(packed(rng, 4096, 1024, 128, true));
    out.add(packed(rng, 64, 1024, 256, true));
    out.add(packed(rng, 32, 4096, 1024, true));
    out.add(packed(rng, 4096, 128, 1024, false));
    float[] g = random(rng, 4096 * 1024);
    float[] x = random(rng, 4096 * 128);
    float[] dw = new float[1024 * 128];
    out.add(() -> Blas.gemm(true, false, 1024, 128, 4096, g, 0, 1024, x, 0, 128, 1f, dw, 0, 128));
    return out;
  }

  private static Runnable packed(Rng rng, int m, int n, int k, boolean transposed) {
    float[] a = random(rng, m * k);
    float[] w = random(rng, n * k);
    PackedMatrix b = transposed ? PackedMatrix.of(true, k, n, w, 0, k) : PackedMatrix.of(false, k, n, w, 0, n);
    float[] c = new float[m * n];
    return () -> Blas.gemm(m, a, 0, k, b, 0f, c, 0, n);
  }

  /** Inference of a one-layer LSTM classifier (embedding 128, batch 32, 32 steps) over random ids. */
  private static Runnable lstmInference(int hidden) {
    int vocab = 1000;
    int batch = 32;
    int steps = 32;
    NetConfig cfg = NetConfig.builder().cell(CellType.LSTM).vocabulary(vocab).embed(128).hidden(hidden)
        .layers(1).bidirectional(false).pooling(Pooling.LAST).classes(4).build();
    ClassifierNet net = new ClassifierNet(cfg);
    net.initialize(TorchGenerator.seeded(11));
    Rng rng = new Rng(13);
    int[] ids = new int[batch * steps];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rng.nextInt(vocab);
    }
    int[] lengths = new int[batch];
    Arrays.fill(lengths, steps);
    ClassifierNet.Workspace ws = net.newWorkspace();
    return () -> net.infer(ws, ids, lengths, steps);
  }

  private static float[] random(Rng rng, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = rng.nextFloat() - 0.5f;
    }
    return x;
  }
}
