package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Rnn4j;
import org.rnn4j.classify.TrainingConfig;
import org.rnn4j.io.Json;
import picocli.CommandLine;

/** The command line: one-line errors with exit codes, and a train → eval → predict → info round. */
class CliTest {
  @TempDir
  static Path dir;
  static Path trainCsv;
  static Path validCsv;
  static Path model;

  static String corpus(int n, long seed) {
    StringBuilder b = new StringBuilder("label,text\n");
    org.rnn4j.random.Rng r = new org.rnn4j.random.Rng(seed);
    String[] cls = {"ham", "spam", "eggs"};
    for (int i = 0; i < n; i++) {
      int c = r.nextInt(3);
      b.append(cls[c]).append(",\"");
      for (int t = 0; t < 4 + r.nextInt(8); t++) {
        b.append(r.nextInt(3) == 0 ? cls[c] + "ish" + r.nextInt(4) : "word" + r.nextInt(20)).append(' ');
      }
      b.append("\"\n");
    }
    return b.toString();
  }

  @BeforeAll
  static void trainSmallModel() throws Exception {
    trainCsv = dir.resolve("train.csv");
    validCsv = dir.resolve("valid.csv");
    Files.writeString(trainCsv, corpus(600, 1));
    Files.writeString(validCsv, corpus(150, 2));
    model = dir.resolve("model");
    CliRunner r = CliRunner.run("train", "--data", trainCsv.toString(), "--valid", validCsv.toString(),
        "--out", model.toString(), "--epochs", "2", "--embed", "8", "--hidden", "12", "--lr", "0.01", "--json");
    assertEquals(0, r.code, r.toString());
  }

  @Test
  void train_defaultsEqualTheJavaBuilderDefaults() {
    TrainCommand cmd = new TrainCommand();
    new CommandLine(cmd).parseArgs("--data", "x.csv", "--out", "o");
    Map<String, Object> cli = cmd.config().toJson();
    Map<String, Object> api = TrainingConfig.builder().data(Path.of("x.csv")).build().toJson();
    assertEquals(api, cli);
    assertEquals("lstm", cli.get("cell"));
    assertEquals(64L, ((Number) cli.get("embed")).longValue());
    assertEquals(32L, ((Number) cli.get("hidden")).longValue());
    assertEquals(16L, ((Number) cli.get("batch")).longValue());
    assertEquals(1L, ((Number) cli.get("epochs")).longValue());
    assertEquals(1e-3, cli.get("lr"));
  }

  @Test
  void train_printsOneJsonLinePerEpochAndASummary() throws Exception {
    List<String> lines = Files.readAllLines(model.resolve("metrics.jsonl"));
    assertEquals(2, lines.size());
    Map<String, Object> m = Json.parseObject(lines.get(1));
    assertTrue(((Number) m.get("valid_accuracy")).doubleValue() > 0.8, lines.get(1));
  }

  @Test
  void eval_json() throws Exception {
    CliRunner r = CliRunner.run("eval", "--model", model.toString(), "--data", validCsv.toString(), "--json");
    assertEquals(0, r.code, r.toString());
    Map<String, Object> m = Json.parseObject(r.out.trim());
    assertEquals(150L, m.get("n"));
    assertTrue(m.containsKey("accuracy") && m.containsKey("macro_f1") && m.containsKey("confusion_matrix"));
  }

  @Test
  void eval_report() {
    CliRunner r = CliRunner.run("eval", "--model", model.toString(), "--data", validCsv.toString());
    assertEquals(0, r.code, r.toString());
    assertTrue(r.out.contains("confusion matrix (rows: true, columns: predicted)"), r.out);
  }

  @Test
  void predict_argumentsAndStdin() throws Exception {
    CliRunner a = CliRunner.run("predict", "--model", model.toString(), "--json", "spamish1 word3", "eggsish2 eggsish0");
    assertEquals(0, a.code, a.toString());
    String[] lines = a.out.trim().split("\n");
    assertEquals(2, lines.length);
    assertEquals("spam", Json.parseObject(lines[0]).get("label"));
    assertEquals("eggs", Json.parseObject(lines[1]).get("label"));
    CliRunner b = CliRunner.runWithInput("spamish1 word3\neggsish2 eggsish0\n", "predict", "--model", model.toString(), "--json");
    assertEquals(a.out, b.out);
    CliRunner c = CliRunner.run("predict", "--model", model.toString(), "hamish3");
    assertTrue(c.out.startsWith("ham "), c.out);
  }

  @Test
  void predict_weightsBf16_sameLabelsAndNearbyProbabilities() throws Exception {
    String[] texts = {"spamish1 word3", "eggsish2 eggsish0", "hamish3"};
    CliRunner f = CliRunner.run(concat(new String[] {"predict", "--model", model.toString(), "--json"}, texts));
    CliRunner b = CliRunner.run(concat(new String[] {"predict", "--model", model.toString(), "--json", "--weights", "bf16"},
        texts));
    assertEquals(0, b.code, b.toString());
    String[] fl = f.out.trim().split("\n");
    String[] bl = b.out.trim().split("\n");
    assertEquals(fl.length, bl.length);
    for (int i = 0; i < fl.length; i++) {
      Map<String, Object> pf = Json.parseObject(fl[i]);
      Map<String, Object> pb = Json.parseObject(bl[i]);
      assertEquals(pf.get("label"), pb.get("label"), texts[i]);
      @SuppressWarnings("unchecked")
      Map<String, Object> qf = (Map<String, Object>) pf.get("probabilities");
      @SuppressWarnings("unchecked")
      Map<String, Object> qb = (Map<String, Object>) pb.get("probabilities");
      for (String k : qf.keySet()) {
        // W_hh rounded to bfloat16 moves a probability of this model by ~1e-5
        assertEquals(((Number) qf.get(k)).doubleValue(), ((Number) qb.get(k)).doubleValue(), 1e-3, texts[i] + " " + k);
      }
    }
  }

  @Test
  void predict_weightsUnknown_isAUsageError() {
    CliRunner.assertOneLineError(CliRunner.run("predict", "--model", model.toString(), "--weights", "fp8", "x"), 2,
        "rnn4j predict: Invalid value for option '--weights': expected one of [FLOAT32, BF16] (case-insensitive)"
            + " but was 'fp8' (see 'rnn4j predict --help')");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void info_listsParameters() throws Exception {
    CliRunner r = CliRunner.run("info", "--model", model.toString());
    assertEquals(0, r.code, r.toString());
    assertTrue(r.out.contains("rnn.weight_hh_l0"), r.out);
    assertTrue(r.out.contains("total"), r.out);
    Map<String, Object> j = Json.parseObject(CliRunner.run("info", "--model", model.toString(), "--json").out.trim());
    long sum = 0;
    for (Object shape : ((Map<?, ?>) j.get("parameters")).values()) {
      long n = 1;
      for (Object d : (List<?>) shape) {
        n *= ((Number) d).longValue();
      }
      sum += n;
    }
    assertEquals(sum, ((Number) j.get("total_parameters")).longValue());
  }

  @Test
  void version_namesTheRuntime() {
    CliRunner r = CliRunner.run("--version");
    assertEquals(0, r.code, r.toString());
    List<String> lines = r.out.lines().toList();
    assertEquals(2, lines.size(), r.toString());
    assertEquals("rnn4j " + Rnn4j.VERSION, lines.get(0));
    assertTrue(lines.get(1).startsWith("java ") && lines.get(1).contains(System.getProperty("java.runtime.version"))
        && lines.get(1).contains("gemm ") && lines.get(1).contains("threads "), r.toString());
  }

  @Test
  void unknownFlag() {
    CliRunner.assertOneLineError(CliRunner.run("train", "--bogus"), 2, "rnn4j train: Unknown option: '--bogus' (see 'rnn4j train --help')");
  }

  @Test
  void unknownCell() {
    CliRunner.assertOneLineError(CliRunner.run("train", "--data", trainCsv.toString(), "--out", dir.resolve("x").toString(), "--cell", "transformer"),
        2, "rnn4j train: error: unknown cell type 'transformer' (allowed: rnn, rnn_tanh, rnn_relu, lstm, gru)");
  }

  @Test
  void nonNumericValue() {
    CliRunner.assertOneLineError(CliRunner.run("train", "--hidden", "big"), 2,
        "rnn4j train: Invalid value for option '--hidden': 'big' is not an int (see 'rnn4j train --help')");
  }

  @Test
  void zeroOrNegativeArguments() {
    String data = trainCsv.toString();
    String out = dir.resolve("never").toString();
    CliRunner.assertOneLineError(CliRunner.run("train", "--data", data, "--out", out, "--hidden", "0"), 2,
        "rnn4j train: error: --hidden must be in 1..65536, got 0");
    CliRunner.assertOneLineError(CliRunner.run("train", "--data", data, "--out", out, "--lr", "0"), 2,
        "rnn4j train: error: --lr must be > 0, got 0.0");
    CliRunner.assertOneLineError(CliRunner.run("train", "--data", data, "--out", out, "--lr", "-1e-3"), 2,
        "rnn4j train: error: --lr must be > 0, got -0.001");
    CliRunner.assertOneLineError(CliRunner.run("train", "--data", data, "--out", out, "--threads", "0"), 2,
        "rnn4j train: error: --threads must be in 1..1024, got 0");
    CliRunner.assertOneLineError(CliRunner.run("train", "--data", data, "--out", out, "--patience", "-1"), 2,
        "rnn4j train: error: --patience must be >= 0, got -1");
    CliRunner.assertOneLineError(CliRunner.run("train", "--data", data, "--out", out, "--lr-decay", "0"), 2,
        "rnn4j train: error: --lr-decay must be in (0, 1], got 0.0");
    CliRunner.assertOneLineError(CliRunner.run("train", "--data", data, "--out", out, "--valid", data, "--valid-fraction", "0.2"),
        2, "rnn4j train: error: give either --valid or --valid-fraction, not both");
    CliRunner.assertOneLineError(CliRunner.run("train", "--data", data, "--out", out, "--batch", "-4"), 2,
        "rnn4j train: error: --batch must be in 1..65536, got -4");
    CliRunner.assertOneLineError(CliRunner.run("train", "--data", data, "--out", out, "--dropout", "1.5"), 2,
        "rnn4j train: error: --dropout must be in [0, 1), got 1.5");
    assertFalse(Files.exists(Path.of(out)), "no partial model directory");
  }

  @Test
  void missingDataFile() {
    Path absent = dir.resolve("absent.csv");
    CliRunner.assertOneLineError(CliRunner.run("train", "--data", absent.toString(), "--out", dir.resolve("y").toString()), 1,
        "rnn4j train: error: " + absent + ": no such file");
  }

  @Test
  void wrongColumnName() {
    CliRunner.assertOneLineError(CliRunner.run("train", "--data", trainCsv.toString(), "--out", dir.resolve("z").toString(),
        "--text-column", "body"), 1,
        "rnn4j train: error: " + trainCsv + ":1: no column 'body' in the header [label, text] (choose one with --text-column)");
  }

  @Test
  void malformedRowNamesFileAndLine() throws Exception {
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "label,text\nham,hello\nspam,\"unterminated\n");
    CliRunner.assertOneLineError(CliRunner.run("eval", "--model", model.toString(), "--data", bad.toString()), 1,
        "rnn4j eval: error: " + bad + ":3: unterminated quoted field (the file ends inside quotes)");
  }

  @Test
  void unknownLabelAtEval() throws Exception {
    Path other = dir.resolve("other.csv");
    Files.writeString(other, "label,text\nham,hello\nbacon,crispy\n");
    CliRunner.assertOneLineError(CliRunner.run("eval", "--model", model.toString(), "--data", other.toString()), 1,
        "rnn4j eval: error: " + other + ": line 3: label 'bacon' is not one of the model's classes [eggs, ham, spam]");
  }

  @Test
  void corruptModel() throws Exception {
    Path broken = dir.resolve("broken");
    Files.createDirectories(broken);
    for (String f : new String[] {"config.json", "vocab.txt", "model.safetensors"}) {
      Files.copy(model.resolve(f), broken.resolve(f));
    }
    byte[] w = Files.readAllBytes(broken.resolve("model.safetensors"));
    w[w.length / 2] ^= 1;
    Files.write(broken.resolve("model.safetensors"), w);
    CliRunner.assertOneLineError(CliRunner.run("predict", "--model", broken.toString(), "hello"), 1,
        "rnn4j predict: error: " + broken.resolve("model.safetensors")
            + ": does not match the sha256 recorded in config.json (the file is corrupt or belongs to another model)");
  }

  @Test
  void modelFromNewerVersion() throws Exception {
    Path newer = dir.resolve("newer");
    Files.createDirectories(newer);
    for (String f : new String[] {"config.json", "vocab.txt", "model.safetensors"}) {
      Files.copy(model.resolve(f), newer.resolve(f));
    }
    String c = Files.readString(newer.resolve("config.json")).replace("\"format_version\": 1", "\"format_version\": 7");
    Files.writeString(newer.resolve("config.json"), c);
    CliRunner.assertOneLineError(CliRunner.run("info", "--model", newer.toString()), 1,
        "rnn4j info: error: " + newer.resolve("config.json")
            + ": format version 7 is newer than this rnn4j supports (1); upgrade rnn4j to load it");
  }

  @Test
  void predictEmptyTextOnStdin() {
    CliRunner.assertOneLineError(CliRunner.runWithInput("hamish1\n\nspamish2\n", "predict", "--model", model.toString()), 2,
        "rnn4j predict: error: stdin line 2: the text is empty (it has no tokens)");
  }

  @Test
  void trainExistingModelNeedsOverwrite() {
    CliRunner.assertOneLineError(CliRunner.run("train", "--data", trainCsv.toString(), "--out", model.toString()), 2,
        "rnn4j train: error: --out " + model + " already holds a model; continue it with --resume " + model
            + ", choose another --out, or set --overwrite");
  }

  @Test
  void resumeRejectsOtherOptions() {
    CliRunner.assertOneLineError(CliRunner.run("train", "--resume", model.toString(), "--epochs", "9"), 2,
        "rnn4j train: error: --resume continues the recorded run with its own settings; --epochs cannot be combined with it");
  }

  @Test
  void threads_outOfRange_isOneLineErrorFreshResumedAndDemo() {
    String out = dir.resolve("never").toString();
    CliRunner.assertOneLineError(CliRunner.run("train", "--data", trainCsv.toString(), "--out", out, "--threads", "2000"), 2,
        "rnn4j train: error: --threads must be in 1..1024, got 2000");
    CliRunner.assertOneLineError(CliRunner.run("train", "--resume", model.toString(), "--threads", "2000"), 2,
        "rnn4j train: error: --threads must be in 1..1024, got 2000");
    CliRunner demo = CliRunner.run("demo", "--threads", "0", "--out", out);
    CliRunner.assertOneLineError(demo, 2, "rnn4j demo: error: --threads must be in 1..1024, got 0");
    assertEquals("", demo.out, "the demo checks its arguments before printing anything");
    assertFalse(Files.exists(Path.of(out)), "no partial model directory");
  }

  @Test
  void help_listsTheSharedRunFlags() {
    for (String command : new String[] {"train", "train-lm"}) {
      CliRunner r = CliRunner.run(command, "--help");
      assertEquals(0, r.code, r.toString());
      for (String flag : new String[] {"--out", "--resume", "--overwrite", "--threads", "--on-nan",
          "--checkpoint-seconds", "--patience", "--lr-decay", "--json"}) {
        assertTrue(r.out.contains(flag + " ") || r.out.contains(flag + "="), command + " --help lacks " + flag + ":\n" + r.out);
      }
    }
  }

  @Test
  void help_ofEveryCommandPrintsCleanly() {
    // A stray '%' in a description makes picocli print a warning before the usage; only a real run shows it.
    java.util.List<String> commands = new java.util.ArrayList<>(new picocli.CommandLine(new Main()).getSubcommands().keySet());
    commands.add(0, "--help");
    for (String command : commands) {
      CliRunner r = command.equals("--help") ? CliRunner.run("--help") : CliRunner.run(command, "--help");
      assertEquals(0, r.code, command + ": " + r);
      assertEquals("", r.err, command + " --help wrote to stderr: " + r);
      assertFalse(r.out.contains("[picocli"), command + " --help: " + r.out);
    }
  }

  @Test
  void resumeOfFinishedRunEndsAtOnce() throws Exception {
    CliRunner r = CliRunner.run("train", "--resume", model.toString(), "--json");
    assertEquals(0, r.code, r.toString());
    assertEquals(2L, ((Number) Json.parseObject(r.out.trim()).get("epochs")).longValue());
  }

  @Test
  void missingRequiredOption() {
    CliRunner.assertOneLineError(CliRunner.run("eval", "--data", "x"), 2,
        "rnn4j eval: Missing required option: '--model=DIR' (see 'rnn4j eval --help')");
  }

  @Test
  void unwritableOutput() throws Exception {
    Path file = dir.resolve("plainfile");
    Files.writeString(file, "x", StandardCharsets.UTF_8);
    CliRunner.assertOneLineError(CliRunner.run("train", "--data", trainCsv.toString(), "--out", file.toString()), 2,
        "rnn4j train: error: --out " + file + " exists and is not a directory");
  }
}
