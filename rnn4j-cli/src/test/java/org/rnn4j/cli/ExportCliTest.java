package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Json;

/** rnn4j export and import: files on success, one-line errors naming the flag or file otherwise. */
class ExportCliTest {
  private static final Path CLASSIFIER = Path.of("../rnn4j-tasks/src/test/resources/format-v1/classifier");
  private static final Path LM = Path.of("../rnn4j-tasks/src/test/resources/format-v1/lm");

  @TempDir Path dir;

  @Test
  void export_writesTheOnnxFile() throws Exception {
    Path out = dir.resolve("m.onnx");
    CliRunner r = CliRunner.run("export", "--model", CLASSIFIER.toString(), "--onnx", out.toString());
    assertEquals(0, r.code, r.toString());
    assertTrue(r.out.startsWith("wrote " + out + " ("), r.out);
    assertTrue(Files.size(out) > 1000);
  }

  @Test
  void export_opsetOutOfRange_namesTheFlag() {
    CliRunner r = CliRunner.run("export", "--model", CLASSIFIER.toString(), "--onnx", dir.resolve("m.onnx").toString(),
        "--opset", "9");
    assertEquals(2, r.code, r.toString());
    assertEquals("rnn4j export: error: --opset must be in 14..21, got 9\n", r.err);
  }

  @Test
  void export_languageModel_writesTheOnnxFile() throws Exception {
    Path out = dir.resolve("lm.onnx");
    CliRunner r = CliRunner.run("export", "--model", LM.toString(), "--onnx", out.toString());
    assertEquals(0, r.code, r.toString());
    assertTrue(Files.size(out) > 1000);
  }

  @Test
  void export_notAModelDirectory_isOneLineErrorNamingIt() {
    CliRunner r = CliRunner.run("export", "--model", dir.resolve("nothing").toString(), "--onnx",
        dir.resolve("m.onnx").toString());
    assertEquals(1, r.code, r.toString());
    assertTrue(r.err.contains("nothing") && r.err.indexOf('\n') == r.err.length() - 1, r.err);
    assertFalse(Files.exists(dir.resolve("m.onnx")));
  }

  private static final Path TORCH = Path.of("../rnn4j-tasks/src/test/resources/pytorch_export");

  @Test
  void import_torchStateDict_writesAModelThatPredicts() throws Exception {
    Path out = dir.resolve("imported");
    CliRunner r = CliRunner.run("import", "--torch", TORCH.resolve("model.safetensors").toString(), "--cell", "gru",
        "--pooling", "mean", "--vocab", TORCH.resolve("vocab.txt").toString(), "--classes",
        "World,Sports,Business,Sci/Tech", "--out", out.toString());
    assertEquals(0, r.code, r.toString());
    CliRunner a = CliRunner.run("predict", "--model", out.toString(), "--json", "oil prices rise");
    CliRunner b = CliRunner.run("predict", "--model", TORCH.toString(), "--json", "oil prices rise");
    assertEquals(b.out, a.out);
  }

  @Test
  void import_unknownCell_isAUsageError() {
    CliRunner r = CliRunner.run("import", "--torch", "x.safetensors", "--cell", "bogus", "--vocab", "v", "--classes",
        "a,b", "--out", dir.resolve("y").toString());
    assertEquals(2, r.code, r.toString());
    assertEquals("rnn4j import: error: unknown cell type 'bogus' (allowed: rnn, rnn_tanh, rnn_relu, lstm, gru)\n", r.err);
  }

  private static final Path KERAS = Path.of("../rnn4j-keras/src/test/resources/keras");

  @Test
  void import_kerasModel_writesAModelThatPredicts() throws Exception {
    Path out = dir.resolve("k");
    CliRunner r = CliRunner.run("import", "--keras", KERAS.resolve("lstm_bi_mean.keras").toString(), "--vocab",
        KERAS.resolve("vocab.txt").toString(), "--classes", "a,b,c", "--out", out.toString());
    assertEquals(0, r.code, r.toString());
    assertEquals("", r.err, "no logging noise");
    CliRunner p = CliRunner.run("predict", "--model", out.toString(), "--json", "w2 w5 W7!");
    assertEquals(0, p.code, p.toString());
    assertTrue(p.out.startsWith("{\"label\":"), p.out);
  }

  @Test
  void import_neitherOrBoth_isAUsageError() {
    assertEquals("rnn4j import: error: give either --torch FILE or --keras FILE\n",
        CliRunner.run("import", "--out", dir.resolve("z").toString()).err);
    assertEquals("rnn4j import: error: --torch needs --cell, --vocab and --classes\n",
        CliRunner.run("import", "--torch", "x.safetensors", "--out", dir.resolve("z").toString()).err);
  }

  /**
   * rnn4j bench's real-recipe mode (here, where no speed test runs after it in this JVM: it would compile
   * other shapes first). The mode: a classifier over texts of their own lengths, one JSON line.
   */
  @Test
  void recipe_timesAClassifierOverRealTexts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path texts = dir.resolve("texts.txt");
    java.nio.file.Files.writeString(texts, "filler3 alphaword1\nbetaword2 filler5 filler19 filler3\n   \nfiller5\n");
    CliRunner r = CliRunner.run("bench", "--model",
        "../rnn4j-tasks/src/test/resources/format-v1/classifier", "--texts", texts.toString(), "--repeats", "1",
        "--warmup-seconds", "0", "--json");
    assertEquals(0, r.code, r.toString());
    Map<String, Object> row = Json.parseObject(r.out.trim());
    assertEquals("agnews", row.get("workload"));
    assertEquals(3L, row.get("texts"), "the text without tokens is skipped");
    assertEquals(7L, row.get("tokens"));
    assertTrue(((Number) row.get("texts_per_s")).doubleValue() > 0);
  }
}
