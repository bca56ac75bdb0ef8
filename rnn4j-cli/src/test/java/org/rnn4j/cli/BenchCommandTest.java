package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rnn4j.io.Json;
import org.rnn4j.math.Parallel;

/** `rnn4j bench`: the JSON line the comparison script reads, the FLOP model, and its argument errors. */
class BenchCommandTest {
  private int threadsBefore;

  @BeforeEach
  void rememberThreads() {
    threadsBefore = Parallel.threads();
  }

  @AfterEach
  void restoreThreads() {
    Parallel.setThreads(threadsBefore); // bench sets the shared pool; the other tests use the default
  }

  private static Map<String, Object> oneJsonLine(CliRunner r) throws Exception {
    assertEquals(0, r.code, r.toString());
    String[] lines = r.out.strip().split("\n");
    assertEquals(1, lines.length, r.toString());
    return Json.parseObject(lines[0]);
  }

  private static void assertSummary(Map<String, Object> row, String key) {
    @SuppressWarnings("unchecked")
    Map<String, Object> s = (Map<String, Object>) row.get(key);
    assertTrue(s != null, key + " missing from " + row);
    double min = ((Number) s.get("min")).doubleValue();
    double median = ((Number) s.get("median")).doubleValue();
    double max = ((Number) s.get("max")).doubleValue();
    assertTrue(min > 0 && min <= median && median <= max, key + ": " + s);
    assertEquals(2, ((List<?>) s.get("runs")).size(), key + ": " + s);
  }

  @Test
  void json_carriesSpeedsMemoryAndTheFmaPeak() throws Exception {
    Map<String, Object> row = oneJsonLine(CliRunner.run("bench", "--workload", "W1", "--mode", "train,infer",
        "--seconds", "0.05", "--repeats", "2", "--warmup", "1", "--warmup-seconds", "0.2", "--json"));
    assertEquals("W1", row.get("workload"));
    assertEquals("rnn4j", row.get("framework"));
    assertSummary(row, "train_tokens_per_s");
    assertSummary(row, "infer_tokens_per_s");
    assertFalse(row.containsKey("latency_us"), "latency is W2's unless --latency-all");
    assertTrue(((Number) row.get("peak_rss_mb")).longValue() > 0, row.toString());
    assertTrue(((Number) row.get("fma_peak_gflops")).doubleValue() > 0, row.toString());
    // how much a step allocates, to tell a process with boxed vectors; small steps in a young JVM may allocate
    assertTrue(((Number) row.get("train_alloc_bytes_per_step")).longValue() >= 0, row.toString());
    assertTrue(((Number) row.get("infer_alloc_bytes_per_step")).longValue() >= 0, row.toString());
    // Never past --warmup-seconds plus the step that crosses it. A cold JVM's first training step alone
    // takes 0.8-1.0 s on the 2-core machines (it compiles), so the bound leaves room for that step: only
    // ignoring --warmup-seconds (waiting in 1-s windows for a quiet JIT, up to 30 s) would go past it.
    for (String key : List.of("train_warmup_s", "infer_warmup_s")) {
      double s = ((Number) row.get(key)).doubleValue();
      assertTrue(s > 0 && s < 3.0, key + ": " + row);
    }
    assertEquals(3L * 2 * 128 * (64 + 32), ((Number) row.get("train_flops_per_token")).longValue());
    assertEquals(2L * 128 * (64 + 32), ((Number) row.get("infer_flops_per_token")).longValue());
  }

  @Test
  void json_latencyIsOneSequenceOf64Steps() throws Exception {
    Map<String, Object> row = oneJsonLine(CliRunner.run("bench", "--workload", "W2", "--mode", "latency",
        "--seconds", "0.05", "--repeats", "2", "--warmup", "1", "--warmup-seconds", "0", "--json"));
    assertSummary(row, "latency_us");
    assertEquals(64L, ((Number) row.get("latency_T")).longValue());
    assertFalse(row.containsKey("train_tokens_per_s"), row.toString());
  }

  @Test
  void flopsPerToken_countsEveryLayerAndDirection() {
    Map<String, BenchCommand.Workload> w = new java.util.HashMap<>();
    for (BenchCommand.Workload x : BenchCommand.WORKLOADS) {
      w.put(x.id, x);
    }
    // 2 FLOPs per multiply-add, gates x hidden rows, (input + hidden) columns; training is 3x forward
    assertEquals(2L * 1024 * (128 + 256), BenchCommand.flopsPerToken(w.get("W2"), false));
    assertEquals(3L * 2 * 1024 * (128 + 256), BenchCommand.flopsPerToken(w.get("W2"), true));
    assertEquals(2L * 768 * (128 + 256), BenchCommand.flopsPerToken(w.get("W4"), false));
    assertEquals(2L * 32 * (64 + 32), BenchCommand.flopsPerToken(w.get("W5"), false)); // RNN: one gate
    // W3: two directions of (128 + 256), then two of (2·256 + 256) columns
    assertEquals(2L * 1024 * 2 * ((128 + 256) + (512 + 256)), BenchCommand.flopsPerToken(w.get("W3"), false));
    assertEquals(2L * 4096 * (256 + 1024), BenchCommand.flopsPerToken(w.get("W6"), false));
  }

  private static void assertUsageError(String expected, String... args) {
    CliRunner r = CliRunner.run(args);
    assertEquals(2, r.code, r.toString());
    assertEquals(expected + "\n", r.err, r.toString());
  }

  @Test
  void call_unknownWorkload() {
    assertUsageError("rnn4j bench: error: --workload takes W1..W6 or all, got 'W9'", "bench", "--workload", "W9");
  }

  @Test
  void call_unknownMode() {
    assertUsageError("rnn4j bench: error: --mode takes train, infer and latency, got 'fast'",
        "bench", "--workload", "W1", "--mode", "train,fast");
  }

  @Test
  void call_outOfRangeNumbers() {
    assertUsageError("rnn4j bench: error: --threads must be in 1..1024, got 0", "bench", "--threads", "0");
    assertUsageError("rnn4j bench: error: --seconds must be in (0, 3600], got 0.0", "bench", "--seconds", "0");
    assertUsageError("rnn4j bench: error: --seconds must be in (0, 3600], got NaN", "bench", "--seconds", "NaN");
    assertUsageError("rnn4j bench: error: --repeats must be in 1..1000, got 0", "bench", "--repeats", "0");
    assertUsageError("rnn4j bench: error: --warmup must be in 0..100000, got -1", "bench", "--warmup", "-1");
    assertUsageError("rnn4j bench: error: --warmup-seconds must be in [0, 3600], got -1.0",
        "bench", "--warmup-seconds", "-1");
    assertUsageError("rnn4j bench: error: --warmup-seconds must be in [0, 3600], got NaN",
        "bench", "--warmup-seconds", "NaN");
  }

  @Test
  void call_modelWithoutTexts_isAUsageError() {
    assertUsageError("rnn4j bench: error: --model and --texts go together", "bench", "--model", "m");
  }

  @Test
  void tune_storesAChoiceThatLoadsOnThisMachine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("kernel-tuning.properties");
    org.rnn4j.math.KernelTuning before = org.rnn4j.math.KernelTuning.current();
    try {
      Map<String, Object> row = oneJsonLine(CliRunner.run("bench", "--tune", "--seconds", "0.01",
          "--tuning-file", file.toString(), "--json"));
      assertEquals(file.toString(), row.get("file"));
      assertEquals(org.rnn4j.math.KernelTuning.machineKey(), row.get("machine"));
      @SuppressWarnings("unchecked")
      Map<String, Object> chosen = (Map<String, Object>) row.get("chosen");
      org.rnn4j.math.KernelTuning loaded = org.rnn4j.math.KernelTuning.load(file).orElseThrow();
      assertEquals(((Number) chosen.get("kc")).intValue(), loaded.kc());
      assertEquals(((Number) chosen.get("mc")).intValue(), loaded.mc());
      assertEquals(((Number) chosen.get("unit_split_weight_bytes")).longValue(), loaded.unitSplitWeightBytes());
      assertEquals(3, ((Map<?, ?>) row.get("kc_time_ratios")).size(), row.toString());
      assertEquals(4, ((Map<?, ?>) row.get("unit_split_time_ratios")).size(), row.toString());
    } finally {
      org.rnn4j.math.KernelTuning.use(before);
    }
  }

  @Test
  void tuningFile_withoutTune_isAUsageError() throws Exception {
    assertUsageError("rnn4j bench: error: --tuning-file goes with --tune", "bench", "--tuning-file", "x.properties");
  }

  @Test
  void tune_withModel_isAUsageError() throws Exception {
    assertUsageError("rnn4j bench: error: --tune measures the kernels alone; it does not take --model or --export-onnx",
        "bench", "--tune", "--model", "m", "--texts", "t");
  }

  @Test
  void weightsBf16_withTraining_isAUsageError() throws Exception {
    assertUsageError("rnn4j bench: error: --weights bf16 is for inference; use --mode infer,latency",
        "bench", "--weights", "bf16", "--workload", "W1");
  }
}
