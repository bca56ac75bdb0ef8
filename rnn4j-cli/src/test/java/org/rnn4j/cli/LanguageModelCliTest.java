package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Json;
import org.rnn4j.lm.LanguageModelConfig;

/** train-lm → eval-lm → generate → info, and one-line errors for every bad argument. */
class LanguageModelCliTest {
  @TempDir
  static Path dir;
  static Path text;
  static Path model;

  @BeforeAll
  static void trainSmallModel() throws Exception {
    text = dir.resolve("text.txt");
    StringBuilder b = new StringBuilder();
    org.rnn4j.random.Rng r = new org.rnn4j.random.Rng(3);
    String[] words = {"to be", "or not", "that is", "the question", "whether", "tis nobler"};
    for (int i = 0; i < 1500; i++) {
      b.append(words[r.nextInt(words.length)]).append(i % 7 == 6 ? "\n" : " ");
    }
    Files.writeString(text, b.toString());
    model = dir.resolve("lm");
    CliRunner run = CliRunner.run("train-lm", "--data", text.toString(), "--out", model.toString(), "--epochs", "2",
        "--embed", "8", "--hidden", "24", "--seq-length", "20", "--batch", "8", "--lr", "0.01",
        "--sample-length", "40", "--threads", "1", "--json");
    assertEquals(0, run.code, run.toString());
  }

  @Test
  void trainLm_defaultsEqualTheJavaBuilderDefaults() {
    TrainLmCommand c = new TrainLmCommand();
    new picocli.CommandLine(c).parseArgs("--data", "x.txt", "--out", "y");
    Map<String, Object> fromFlags = c.config().toJson();
    Map<String, Object> fromBuilder = LanguageModelConfig.builder().data(Path.of("x.txt")).build().toJson();
    assertEquals(fromBuilder, fromFlags);
  }

  @Test
  void trainLm_jsonHasValidationBitsAndASample() throws Exception {
    List<String> lines = Files.readAllLines(model.resolve("metrics.jsonl"));
    assertEquals(2, lines.size());
    Map<String, Object> m = Json.parseObject(lines.get(1));
    assertTrue(((Number) m.get("valid_bits_per_char")).doubleValue() < 3.0, lines.get(1));
    assertEquals(40, ((String) m.get("sample")).length());
  }

  @Test
  void evalLm_json() throws Exception {
    CliRunner r = CliRunner.run("eval-lm", "--model", model.toString(), "--data", text.toString(), "--json");
    assertEquals(0, r.code, r.toString());
    Map<String, Object> m = Json.parseObject(r.out.trim());
    assertEquals(Files.readString(text).length() - 1L, m.get("chars"));
    double loss = ((Number) m.get("loss")).doubleValue();
    assertEquals(loss / Math.log(2), ((Number) m.get("bits_per_char")).doubleValue(), 1e-12);
  }

  @Test
  void evalLm_unseenCharactersAreCounted() throws Exception {
    Path other = dir.resolve("other.txt");
    Files.writeString(other, "to be or not \u00bfque?");
    CliRunner r = CliRunner.run("eval-lm", "--model", model.toString(), "--data", other.toString(), "--json");
    assertEquals(0, r.code, r.toString());
    assertEquals(2L, Json.parseObject(r.out.trim()).get("unknown_tokens"), "'\u00bf' and '?'");
  }

  @Test
  void generate_printsThePrimeThenTheContinuation() {
    CliRunner a = CliRunner.run("generate", "--model", model.toString(), "--prime", "to be", "--length", "50",
        "--seed", "7", "--temperature", "0.7", "--top-k", "5", "--top-p", "0.9");
    assertEquals(0, a.code, a.toString());
    assertTrue(a.out.startsWith("to be"), a.out);
    assertEquals("to be".length() + 50 + 1, a.out.length());
    CliRunner b = CliRunner.run("generate", "--model", model.toString(), "--prime", "to be", "--length", "50",
        "--seed", "7", "--temperature", "0.7", "--top-k", "5", "--top-p", "0.9");
    assertEquals(a.out, b.out, "same seed, same text");
    CliRunner g = CliRunner.run("generate", "--model", model.toString(), "--greedy", "--length", "20");
    assertEquals(0, g.code, g.toString());
    assertEquals(21, g.out.length());
  }

  @Test
  void info_describesTheLanguageModel() {
    CliRunner r = CliRunner.run("info", "--model", model.toString());
    assertEquals(0, r.code, r.toString());
    assertTrue(r.out.contains("(language model)"), r.out);
    assertTrue(r.out.contains("rnn.weight_hh_l0      [96, 24]"), r.out);
    assertTrue(r.out.contains("valid_bits_per_char"), r.out);
  }

  @Test
  void generate_badArguments() {
    String m = model.toString();
    CliRunner.assertOneLineError(CliRunner.run("generate", "--model", m, "--temperature", "0"), 2,
        "rnn4j generate: error: --temperature must be > 0, got 0.0 (use --greedy for the most likely token)");
    CliRunner.assertOneLineError(CliRunner.run("generate", "--model", m, "--temperature", "-2"), 2,
        "rnn4j generate: error: --temperature must be > 0, got -2.0 (use --greedy for the most likely token)");
    CliRunner.assertOneLineError(CliRunner.run("generate", "--model", m, "--top-k", "-1"), 2,
        "rnn4j generate: error: --top-k must be >= 0 (0 keeps every token), got -1");
    CliRunner.assertOneLineError(CliRunner.run("generate", "--model", m, "--top-p", "1.5"), 2,
        "rnn4j generate: error: --top-p must be in (0, 1], got 1.5");
    CliRunner.assertOneLineError(CliRunner.run("generate", "--model", m, "--length", "-5"), 2,
        "rnn4j generate: error: --length must be in 0..10000000, got -5");
    CliRunner.assertOneLineError(CliRunner.run("generate", "--model", m, "--prime", "Zebra"), 2,
        "rnn4j generate: error: --prime contains 'Z' (U+005A), which the model never saw in training");
    assertEquals("", CliRunner.run("generate", "--model", m, "--prime", "Zebra").out, "nothing printed before the error");
  }

  @Test
  void trainLm_badArguments() {
    String d = text.toString();
    String out = dir.resolve("never").toString();
    CliRunner.assertOneLineError(CliRunner.run("train-lm", "--data", d, "--out", out, "--seq-length", "0"), 2,
        "rnn4j train-lm: error: --seq-length must be in 1..1048576, got 0");
    CliRunner.assertOneLineError(CliRunner.run("train-lm", "--data", d, "--out", out, "--lr", "0"), 2,
        "rnn4j train-lm: error: --lr must be > 0, got 0.0");
    CliRunner.assertOneLineError(CliRunner.run("train-lm", "--data", d, "--out", out, "--threads", "0"), 2,
        "rnn4j train-lm: error: --threads must be in 1..1024, got 0");
    CliRunner.assertOneLineError(CliRunner.run("train-lm", "--data", d, "--out", out, "--threads", "1025"), 2,
        "rnn4j train-lm: error: --threads must be in 1..1024, got 1025");
    CliRunner.assertOneLineError(CliRunner.run("train-lm", "--data", d, "--out", out, "--cell", "transformer"), 2,
        "rnn4j train-lm: error: unknown cell type 'transformer' (allowed: rnn, rnn_tanh, rnn_relu, lstm, gru)");
    CliRunner.assertOneLineError(CliRunner.run("train-lm", "--data", d, "--out", out, "--batch", "100000"), 2,
        "rnn4j train-lm: error: --batch must be in 1..65536, got 100000");
    CliRunner.assertOneLineError(CliRunner.run("train-lm", "--out", out), 2,
        "rnn4j train-lm: error: --data is required (or --resume DIR to continue a run)");
    CliRunner.assertOneLineError(CliRunner.run("train-lm", "--resume", model.toString(), "--epochs", "3"), 2,
        "rnn4j train-lm: error: --resume continues the recorded run with its own settings; --epochs cannot be combined with it");
    assertFalse(Files.exists(Path.of(out)), "no partial model directory");
  }

  @Test
  void trainLm_resumeOfFinishedRunEndsAtOnce() {
    CliRunner r = CliRunner.run("train-lm", "--resume", model.toString(), "--json");
    assertEquals(0, r.code, r.toString());
    assertTrue(r.out.contains("\"epochs\":2"), r.out);
  }

  @Test
  void languageModelCommandsOnAClassifier_areRefused() throws Exception {
    Path clf = dir.resolve("clf");
    Files.createDirectories(clf);
    Files.writeString(clf.resolve("config.json"), "{\"format\": \"rnn4j-model\", \"format_version\": 1, \"task\": \"classification\"}");
    Files.writeString(clf.resolve("vocab.txt"), "<unk>\n");
    Files.write(clf.resolve("model.safetensors"), org.rnn4j.io.Safetensors.toBytes(List.of(), Map.of()));
    CliRunner.assertOneLineError(CliRunner.run("generate", "--model", clf.toString()), 1,
        "rnn4j generate: error: " + clf.resolve("config.json")
            + ": task is classification, not language_model (use eval or predict for classifiers)");
    CliRunner.assertOneLineError(CliRunner.run("eval-lm", "--model", clf.toString(), "--data", text.toString()), 1,
        "rnn4j eval-lm: error: " + clf.resolve("config.json")
            + ": task is classification, not language_model (use eval or predict for classifiers)");
  }

  @Test
  void evalLm_missingOrInvalidText() throws Exception {
    Path absent = dir.resolve("absent.txt");
    CliRunner.assertOneLineError(CliRunner.run("eval-lm", "--model", model.toString(), "--data", absent.toString()), 1,
        "rnn4j eval-lm: error: " + absent + ": no such file");
    CliRunner.assertOneLineError(CliRunner.run("eval-lm", "--model", model.toString(), "--data", dir.toString()), 1,
        "rnn4j eval-lm: error: " + dir + ": is a directory, not a text file");
    Path one = dir.resolve("one.txt");
    Files.writeString(one, "t");
    CliRunner.assertOneLineError(CliRunner.run("eval-lm", "--model", model.toString(), "--data", one.toString()), 1,
        "rnn4j eval-lm: error: " + one + ": the text has 1 token(s); evaluation needs at least 2 (one to read, one to predict)");
    Path bad = dir.resolve("bad.txt");
    Files.write(bad, new byte[] {'t', 'o', '\n', (byte) 0xff, '\n'});
    CliRunner.assertOneLineError(CliRunner.run("eval-lm", "--model", model.toString(), "--data", bad.toString()), 1,
        "rnn4j eval-lm: error: " + bad + ":2: invalid UTF-8 (byte offset 3); save the file as UTF-8");
  }
}
