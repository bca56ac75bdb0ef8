package org.rnn4j.cli;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.Rnn4j;
import org.rnn4j.io.AtomicFiles;
import org.rnn4j.io.Json;
import org.rnn4j.math.KernelTuning;
import org.rnn4j.math.Parallel;
import org.rnn4j.network.ClassifierNet;
import org.rnn4j.network.NetConfig;
import org.rnn4j.network.WeightPrecision;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Pooling;
import org.rnn4j.onnx.Onnx;
import org.rnn4j.optim.Adam;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;
import org.rnn4j.runtime.BoxedVectorWatch;
import org.rnn4j.runtime.Environment;
import org.rnn4j.runtime.FmaPeak;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The workloads of ../shared/bench/WORKLOADS.md, measured exactly as torch_rnn.py measures PyTorch:
 * vocabulary 20000, 4 classes, fixed-length random token ids from a fixed seed, embedding → stack →
 * last hidden state → linear → cross-entropy; a training step is forward + BPTT + Adam(1e-3).
 */
@Command(name = "bench", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Measure training and inference speed on the shared workloads W1..W6.")
final class BenchCommand implements Callable<Integer> {
  static final int VOCAB = 20000;
  static final int CLASSES = 4;

  /** id, name, cell, layers, bidirectional, embed, hidden, batch, T. */
  static final class Workload {
    final String id;
    final String name;
    final CellType cell;
    final int layers;
    final boolean bidir;
    final int embed;
    final int hidden;
    final int batch;
    final int length;

    Workload(String id, String name, CellType cell, int layers, boolean bidir, int embed, int hidden, int batch, int length) {
      this.id = id;
      this.name = name;
      this.cell = cell;
      this.layers = layers;
      this.bidir = bidir;
      this.embed = embed;
      this.hidden = hidden;
      this.batch = batch;
      this.length = length;
    }
  }

  static final List<Workload> WORKLOADS = List.of(
      new Workload("W1", "seed-lstm", CellType.LSTM, 1, false, 64, 32, 16, 64),
      new Workload("W2", "lstm-medium", CellType.LSTM, 1, false, 128, 256, 64, 128),
      new Workload("W3", "bilstm-2layer", CellType.LSTM, 2, true, 128, 256, 64, 128),
      new Workload("W4", "gru-medium", CellType.GRU, 1, false, 128, 256, 64, 128),
      new Workload("W5", "rnn-small", CellType.RNN_TANH, 1, false, 64, 32, 16, 64),
      new Workload("W6", "lstm-large", CellType.LSTM, 1, false, 256, 1024, 32, 64));

  private static final long QUIET_JIT_MS = 10;
  /** Warm-up when the JVM does not report its compilation time. */
  private static final double BLIND_WARMUP_SECONDS = 5;

  @Option(names = "--workload", defaultValue = "all", description = "W1..W6, a comma list, or all (default: ${DEFAULT-VALUE}).")
  String workload;
  @Option(names = "--mode", defaultValue = "train,infer,latency", description = "Comma list of train, infer, latency (default: ${DEFAULT-VALUE}).")
  String mode;
  @Option(names = "--seconds", defaultValue = "3", description = "Seconds per repeat (default: ${DEFAULT-VALUE}).")
  double seconds;
  @Option(names = "--repeats", defaultValue = "3", description = "Repeats; min/median/max are reported (default: ${DEFAULT-VALUE}).")
  int repeats;
  @Option(names = "--warmup", defaultValue = "5", description = "Warm-up steps before timing (default: ${DEFAULT-VALUE}).")
  int warmup;
  @Option(names = "--warmup-seconds", defaultValue = "30", description = "Most time each mode warms up; it ends sooner once the JIT compiles for under 10 ms in a second (default: ${DEFAULT-VALUE}).")
  double warmupSeconds;
  @Option(names = "--threads", defaultValue = "2", description = "Threads (default: ${DEFAULT-VALUE}, the whole machine).")
  int threads;
  @Option(names = "--latency-all", description = "Also measure batch-1 latency for workloads other than W2.")
  boolean latencyAll;
  @Option(names = "--seed", defaultValue = "1234", description = "Seed of weights and token ids (default: ${DEFAULT-VALUE}).")
  long seed;
  @Option(names = "--export-onnx", paramLabel = "DIR", description = "Also write each workload's network (its very weights) to DIR/W<n>.onnx, for bench/onnx_compare.sh.")
  Path exportOnnx;
  @Option(names = "--model", paramLabel = "DIR", description = "With --texts: time this classifier over real texts instead of the workloads.")
  Path model;
  @Option(names = "--texts", paramLabel = "FILE", description = "With --model: one text per line, predicted in batches of 64, tokenized before timing.")
  Path texts;
  @Option(names = "--weights", paramLabel = "PRECISION", defaultValue = "float32", description = "float32, or bf16: the"
      + " workloads' W_hh rounded to bfloat16 for inference and latency (not with --mode train) (default:"
      + " ${DEFAULT-VALUE}).")
  WeightPrecision weights;
  @Option(names = "--tune", description = "Instead of the workloads, measure the kernels' blocking and the time loop's"
      + " thread split on this CPU (about a minute) and store the choice for this CPU and JVM, where every later"
      + " rnn4j process reads it. Results never change; only speed. Each candidate is timed in alternating rounds"
      + " of --seconds / 10 and must win by 5%%.")
  boolean tune;
  @Option(names = "--tuning-file", paramLabel = "FILE", description = "With --tune: where to store the choice"
      + " (default: ~/.cache/rnn4j/kernel-tuning.properties, the file rnn4j reads).")
  Path tuningFile;
  @Option(names = "--json", description = "Print one JSON line per workload.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Commands.threadCount(threads);
    if (!(seconds > 0) || seconds > 3600) {
      throw new UsageException("--seconds must be in (0, 3600], got " + seconds);
    }
    if (repeats < 1 || repeats > 1000) {
      throw new UsageException("--repeats must be in 1..1000, got " + repeats);
    }
    if (warmup < 0 || warmup > 100_000) {
      throw new UsageException("--warmup must be in 0..100000, got " + warmup);
    }
    if (!(warmupSeconds >= 0) || warmupSeconds > 3600) {
      throw new UsageException("--warmup-seconds must be in [0, 3600], got " + warmupSeconds);
    }
    if ((model == null) != (texts == null)) {
      throw new UsageException("--model and --texts go together");
    }
    if (tuningFile != null && !tune) {
      throw new UsageException("--tuning-file goes with --tune");
    }
    if (tune) {
      if (model != null || exportOnnx != null) {
        throw new UsageException("--tune measures the kernels alone; it does not take --model or --export-onnx");
      }
      Parallel.setThreads(threads);
      return tune();
    }
    if (model != null) {
      Parallel.setThreads(threads);
      System.out.println(Json.write(RecipeBench.run(model, texts, repeats, Math.min(warmupSeconds, 5), weights)));
      return 0;
    }
    List<String> modes = Arrays.asList(mode.toLowerCase(Locale.ROOT).split(","));
    for (String m : modes) {
      if (!m.equals("train") && !m.equals("infer") && !m.equals("latency")) {
        throw new UsageException("--mode takes train, infer and latency, got '" + m + "'");
      }
    }
    if (weights == WeightPrecision.BF16 && modes.contains("train")) {
      throw new UsageException("--weights bf16 is for inference; use --mode infer,latency");
    }
    List<Workload> selected = select(workload);
    Parallel.setThreads(threads);
    double peak = FmaPeak.gflops(0.6);
    if (!json) {
      System.err.println("# rnn4j " + Rnn4j.VERSION + " " + Environment.describe());
      System.err.printf(Locale.ROOT, "# fma peak %.1f GFLOP/s on %d threads; %% = model FLOPs / peak%n", peak, threads);
    }
    for (Workload w : selected) {
      Map<String, Object> r = run(w, modes);
      r.put("fma_peak_gflops", peak);
      if (json) {
        System.out.println(Json.write(r));
      } else {
        System.out.printf(Locale.ROOT, "%s %-14s train %10s tok/s %4s   infer %10s tok/s %4s   latency %8s us   peak RSS %s MB%n",
            w.id, w.name, median(r, "train_tokens_per_s"), share(r, "train", peak),
            median(r, "infer_tokens_per_s"), share(r, "infer", peak), median(r, "latency_us"), r.get("peak_rss_mb"));
      }
      System.out.flush();
    }
    return 0;
  }

  private int tune() throws IOException {
    Path file = tuningFile != null ? tuningFile : KernelTuning.cacheFile();
    if (!json) {
      System.err.println("# rnn4j " + Rnn4j.VERSION + " " + Environment.describe());
      System.err.println("# tuning for " + KernelTuning.machineKey());
    }
    KernelTuner tuner = new KernelTuner(seconds / 10, line -> {
      if (!json) {
        System.err.println(line);
      }
    });
    KernelTuning chosen = tuner.tune();
    String measuredOn = java.time.Instant.now().toString();
    AtomicFiles.write(file, out -> chosen.writeTo(out, measuredOn));
    if (json) {
      Map<String, Object> r = new LinkedHashMap<>(tuner.report());
      r.put("machine", KernelTuning.machineKey());
      r.put("file", file.toString());
      r.putAll(Environment.describe());
      System.out.println(Json.write(r));
    } else {
      System.out.println("tuned: " + chosen + "; stored in " + file);
    }
    KernelTuning.use(chosen);
    return 0;
  }

  private static String median(Map<String, Object> r, String key) {
    Object v = r.get(key);
    if (!(v instanceof Map)) {
      return "-";
    }
    return String.format(Locale.ROOT, "%,.0f", ((Number) ((Map<?, ?>) v).get("median")).doubleValue());
  }

  /** The mode's model FLOPs per second as a share of the peak, e.g. "68%", or "" when not run. */
  private static String share(Map<String, Object> r, String mode, double peak) {
    Object v = r.get(mode + "_tokens_per_s");
    if (!(v instanceof Map)) {
      return "";
    }
    double tokensPerS = ((Number) ((Map<?, ?>) v).get("median")).doubleValue();
    double flops = ((Number) r.get(mode + "_flops_per_token")).doubleValue();
    return String.format(Locale.ROOT, "%.0f%%", 100 * tokensPerS * flops / 1e9 / peak);
  }

  /**
   * FLOPs per token of the recurrent layers' products (a multiply-add is 2): x·W_ihᵀ and h·W_hhᵀ
   * forward, and in training their input and weight gradients too, three times as many. The gate
   * math, embedding, classifier and optimizer are left out; they are a few percent.
   */
  static long flopsPerToken(Workload w, boolean training) {
    long gates = (long) w.cell.gates() * w.hidden;
    int directions = w.bidir ? 2 : 1;
    long forward = 0;
    for (int l = 0; l < w.layers; l++) {
      int in = l == 0 ? w.embed : directions * w.hidden;
      forward += 2 * gates * (in + w.hidden) * directions;
    }
    return training ? 3 * forward : forward;
  }

  static List<Workload> select(String spec) {
    if (spec.equalsIgnoreCase("all")) {
      return WORKLOADS;
    }
    List<Workload> out = new ArrayList<>();
    for (String id : spec.split(",")) {
      Workload found = null;
      for (Workload w : WORKLOADS) {
        if (w.id.equalsIgnoreCase(id.trim())) {
          found = w;
        }
      }
      if (found == null) {
        throw new UsageException("--workload takes W1..W6 or all, got '" + id + "'");
      }
      out.add(found);
    }
    return out;
  }

  Map<String, Object> run(Workload w, List<String> modes) throws IOException {
    NetConfig cfg = NetConfig.builder().cell(w.cell).vocabulary(VOCAB).embed(w.embed).hidden(w.hidden)
        .layers(w.layers).bidirectional(w.bidir).pooling(Pooling.LAST).classes(CLASSES).build();
    ClassifierNet net = new ClassifierNet(cfg);
    net.initialize(TorchGenerator.seeded(seed));
    if (weights == WeightPrecision.BF16) {
      net.rnn().roundRecurrentWeightsToBf16();
    }
    if (exportOnnx != null) {
      Files.createDirectories(exportOnnx);
      Onnx.exportNetwork(net, exportOnnx.resolve(w.id + ".onnx"), Onnx.DEFAULT_OPSET);
    }
    Adam adam = Adam.adam(net.parameters());
    Rng data = new Rng(seed + 1);
    int nb = 8;
    int[][] tokens = new int[nb][w.batch * w.length];
    int[][] labels = new int[nb][w.batch];
    for (int b = 0; b < nb; b++) {
      for (int i = 0; i < tokens[b].length; i++) {
        tokens[b][i] = data.nextInt(VOCAB);
      }
      for (int i = 0; i < w.batch; i++) {
        labels[b][i] = data.nextInt(CLASSES);
      }
    }
    int[] lengths = new int[w.batch];
    Arrays.fill(lengths, w.length);
    // One workspace per phase, in holders so the training one can be let go before inference.
    ClassifierNet.Workspace[] trainWs = {net.newWorkspace()};
    ClassifierNet.Workspace[] inferWs = {null};
    int[] it = {0};
    Runnable train = () -> {
      int b = it[0]++ % nb;
      ClassifierNet.Workspace ws = trainWs[0];
      net.forward(ws, tokens[b], lengths, w.length, true, null);
      net.loss(ws, labels[b]);
      net.backward(ws);
      adam.gradientRows(net.embeddingWeight(), ws.touchedRows().rows(), ws.touchedRows().size()); // as the trainer
      adam.step(1e-3);
    };
    Runnable infer = () -> {
      int b = it[0]++ % nb;
      net.infer(inferWs[0], tokens[b], lengths, w.length);
    };
    long tokensPerStep = (long) w.batch * w.length;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("workload", w.id);
    r.put("name", w.name);
    r.put("framework", "rnn4j");
    r.put("version", Rnn4j.VERSION);
    r.put("threads", Parallel.threads());
    r.put("cell", w.cell.id());
    r.put("layers", w.layers);
    r.put("bidir", w.bidir);
    r.put("embed", w.embed);
    r.put("hidden", w.hidden);
    r.put("batch", w.batch);
    r.put("T", w.length);
    r.put("params", net.parameters().size());
    r.put("train_flops_per_token", flopsPerToken(w, true));
    r.put("infer_flops_per_token", flopsPerToken(w, false));
    r.putAll(Environment.describe());
    r.put("weights", weights.name().toLowerCase(Locale.ROOT));
    if (modes.contains("train")) {
      r.put("train_warmup_s", warm(train));
      measure(r, w, "train", train, tokensPerStep);
    }
    if (modes.contains("infer")) {
      // Inference as a process that serves the model runs it: the training activations released
      // and collected, so that the projection tables reuse their memory instead of adding to it.
      trainWs[0] = null;
      System.gc();
      inferWs[0] = net.newWorkspace();
      r.put("infer_warmup_s", warm(infer));
      measure(r, w, "infer", infer, tokensPerStep);
    }
    if (modes.contains("latency") && (w.id.equals("W2") || latencyAll)) {
      int[] one = Arrays.copyOf(tokens[0], 64);
      int[] len1 = {64};
      ClassifierNet.Workspace ws1 = net.newWorkspace();
      Runnable call = () -> net.infer(ws1, one, len1, 64);
      r.put("latency_warmup_s", warm(call));
      List<Double> medians = new ArrayList<>();
      for (int rep = 0; rep < repeats; rep++) {
        List<Double> samples = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (samples.size() < 50 || System.nanoTime() < end) {
          long t0 = System.nanoTime();
          call.run();
          samples.add((System.nanoTime() - t0) / 1e3);
        }
        medians.add(medianOf(samples));
      }
      r.put("latency_us", summarize(medians));
      r.put("latency_T", 64);
    }
    r.put("peak_rss_mb", peakRssMb());
    return r;
  }

  // Training reaches its steady speed only once C2 has compiled the per-step code (token grouping,
  // group sums, Adam's row lists); until then that code runs in C1, where Vector API calls allocate.
  // A fixed warm-up left the first timed repeats slow (BENCHMARKS.md, "Method",
  // warm-up), so warm-up lasts until a second passes in which the JIT compiled for under 10 ms (at
  // least --warmup steps, at most --warmup-seconds).
  private double warm(Runnable step) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean watchJit = jit != null && jit.isCompilationTimeMonitoringSupported();
    long start = System.nanoTime();
    double most = watchJit ? warmupSeconds : Math.min(warmupSeconds, BLIND_WARMUP_SECONDS);
    long end = start + (long) (most * 1e9);
    long windowStart = start;
    long compiledMs = watchJit ? jit.getTotalCompilationTime() : 0;
    for (int i = 1; ; i++) {
      step.run();
      long now = System.nanoTime();
      boolean quiet = false;
      if (watchJit && now - windowStart >= 1_000_000_000L) {
        long c = jit.getTotalCompilationTime();
        quiet = c - compiledMs < QUIET_JIT_MS;
        compiledMs = c;
        windowStart = now;
      }
      if (i >= warmup && (quiet || now >= end)) {
        return (now - start) / 1e9;
      }
    }
  }

  /**
   * Times {@code step} and puts {@code mode_tokens_per_s} (the repeats' rates) and
   * {@code mode_alloc_bytes_per_step} (all threads, over the repeats; -1 where not counted) into r,
   * warning when the allocation shows boxed vectors.
   */
  private void measure(Map<String, Object> r, Workload w, String mode, Runnable step, long tokensPerStep) {
    List<Double> runs = new ArrayList<>();
    Map<Long, Long> allocated = BoxedVectorWatch.allocationCounters();
    long steps = 0;
    for (int rep = 0; rep < repeats; rep++) {
      long t0 = System.nanoTime();
      long end = t0 + (long) (seconds * 1e9);
      int n = 0;
      do {
        step.run();
        n++;
      } while (n < 3 || System.nanoTime() < end);
      runs.add(tokensPerStep * n / ((System.nanoTime() - t0) / 1e9));
      steps += n;
    }
    long since = BoxedVectorWatch.allocatedSince(allocated);
    long perStep = since < 0 ? -1 : since / steps;
    r.put(mode + "_tokens_per_s", summarize(runs));
    r.put(mode + "_alloc_bytes_per_step", perStep);
    if (perStep > BoxedVectorWatch.BOXED_BYTES_PER_STEP) {
      System.err.printf(Locale.ROOT, "# %s %s allocated %,d bytes per step: the JIT left vector operations boxed in"
          + " this process, which makes it slower than usual (see BENCHMARKS.md)%n", w.id, mode, perStep);
    }
  }

  static Map<String, Object> summarize(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("min", s.get(0));
    m.put("median", medianOf(s));
    m.put("max", s.get(s.size() - 1));
    m.put("runs", xs);
    return m;
  }

  static double medianOf(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /** Peak resident set size of this process (VmHWM), or -1 where /proc is absent. */
  static long peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }
}
