package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Json;
import org.rnn4j.testing.TestModels;
import org.rnn4j.translate.DecodeOptions;
import org.rnn4j.translate.TranslationConfig;
import org.rnn4j.translate.Translator;

/** train-seq2seq → translate → eval-seq2seq → info, and one-line errors for bad arguments. */
class TranslationCliTest {
  @TempDir
  static Path dir;
  static Path data;
  static Path model;

  @BeforeAll
  static void trainSmallModel() throws Exception {
    Path seed = dir.resolve("seed");
    TestModels.translator(seed); // writes seed.tsv: word order reversed
    data = dir.resolve("seed.tsv");
    model = dir.resolve("rev");
    CliRunner run = CliRunner.run("train-seq2seq", "--data", data.toString(), "--out", model.toString(), "--epochs",
        "3", "--embed", "8", "--hidden", "16", "--valid-fraction", "0.1", "--threads", "1", "--json");
    assertEquals(0, run.code, run.toString());
  }

  @Test
  void trainSeq2seq_defaultsEqualTheJavaBuilderDefaults() {
    TrainSeq2SeqCommand c = new TrainSeq2SeqCommand();
    new picocli.CommandLine(c).parseArgs("--data", "x.tsv", "--out", "y");
    assertEquals(TranslationConfig.builder().data(Path.of("x.tsv")).build().toJson(), c.config().toJson());
  }

  @Test
  void trainSeq2seq_jsonEpochsHaveBleu() throws Exception {
    List<String> lines = Files.readAllLines(model.resolve("metrics.jsonl"));
    assertEquals(3, lines.size());
    Map<String, Object> m = Json.parseObject(lines.get(2));
    assertTrue(m.containsKey("valid_bleu") && m.containsKey("valid_token_accuracy"), lines.get(2));
  }

  @Test
  void translate_argumentsAndStdin_printWhatTheApiTranslates() throws Exception {
    Translator t = Translator.load(model);
    CliRunner a = CliRunner.run("translate", "--model", model.toString(), "goal team", "market shares");
    assertEquals(0, a.code, a.toString());
    assertEquals(t.translate("goal team") + "\n" + t.translate("market shares") + "\n", a.out);
    CliRunner b = CliRunner.runWithInput("goal team\nmarket shares\n", "translate", "--model", model.toString());
    assertEquals(a.out, b.out);
    CliRunner j = CliRunner.run("translate", "--model", model.toString(), "--beam", "3", "--json", "goal team");
    Map<String, Object> m = Json.parseObject(j.out.trim());
    Translator.Translation expected = t.translate("goal team", DecodeOptions.beam(3));
    assertEquals(expected.tokens(), m.get("tokens"));
    assertEquals(expected.score(), ((Number) m.get("score")).doubleValue(), 0.0);
    assertEquals(expected.attention().length, ((List<?>) m.get("attention")).size());
  }

  @Test
  void translate_attentionPng_isAPicture() throws Exception {
    Path png = dir.resolve("att.png");
    CliRunner r = CliRunner.run("translate", "--model", model.toString(), "--attention-png", png.toString(),
        "goal team cup");
    assertEquals(0, r.code, r.toString());
    byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head);
  }

  @Test
  void evalSeq2seq_jsonAndInfo() throws Exception {
    CliRunner r = CliRunner.run("eval-seq2seq", "--model", model.toString(), "--data", data.toString(), "--beam", "2",
        "--json");
    assertEquals(0, r.code, r.toString());
    Map<String, Object> m = Json.parseObject(r.out.trim());
    assertEquals(300L, m.get("sentences"));
    for (String k : List.of("bleu", "bleu_13a", "loss", "token_accuracy", "translate_seconds")) {
      assertTrue(m.get(k) instanceof Number, k + " in " + r.out);
    }
    CliRunner i = CliRunner.run("info", "--model", model.toString(), "--json");
    assertEquals(0, i.code, i.toString());
    Map<String, Object> info = Json.parseObject(i.out.trim());
    assertEquals("translation", info.get("task"));
    assertTrue(((Number) info.get("target_vocabulary")).intValue() > 4);
    CliRunner text = CliRunner.run("info", "--model", model.toString());
    assertTrue(text.out.contains("(translation)") && text.out.contains("additive attention"), text.out);
  }

  @Test
  void evalSeq2seq_parallelFilesScoreAsTheTable() throws Exception {
    StringBuilder src = new StringBuilder();
    StringBuilder ref = new StringBuilder();
    for (org.rnn4j.text.ParallelText.Pair p : org.rnn4j.text.ParallelText.readTable(data, "source", "target")) {
      src.append(p.source()).append('\n');
      ref.append(p.target()).append('\n');
    }
    Path s = Files.writeString(dir.resolve("src.txt"), src);
    Path t = Files.writeString(dir.resolve("ref.txt"), ref);
    Map<String, Object> table = Json.parseObject(CliRunner.run("eval-seq2seq", "--model", model.toString(), "--data",
        data.toString(), "--json").out.trim());
    CliRunner r = CliRunner.run("eval-seq2seq", "--model", model.toString(), "--source-file", s.toString(),
        "--target-file", t.toString(), "--json");
    assertEquals(0, r.code, r.toString());
    Map<String, Object> files = Json.parseObject(r.out.trim());
    for (String k : List.of("sentences", "bleu", "bleu_13a", "loss", "token_accuracy")) {
      assertEquals(table.get(k), files.get(k), k);
    }
    CliRunner.assertOneLineError(CliRunner.run("eval-seq2seq", "--model", model.toString(), "--source-file",
        s.toString()), 2, "rnn4j eval-seq2seq: error: --source-file and --target-file go together");
    CliRunner.assertOneLineError(CliRunner.run("eval-seq2seq", "--model", model.toString(), "--data", data.toString(),
        "--source-file", s.toString(), "--target-file", t.toString()), 2,
        "rnn4j eval-seq2seq: error: give either --data or --source-file and --target-file, not both");
    CliRunner.assertOneLineError(CliRunner.run("eval-seq2seq", "--model", model.toString()), 2,
        "rnn4j eval-seq2seq: error: --data (or --source-file and --target-file) is required");
    CliRunner.assertOneLineError(CliRunner.run("train-seq2seq", "--data", data.toString(), "--out",
        dir.resolve("y").toString(), "--valid-source-file", s.toString()), 2,
        "rnn4j train-seq2seq: error: --valid-source-file and --valid-target-file go together");
  }

  @Test
  void errors_areOneLineNamingTheFlagOrLine() throws Exception {
    CliRunner.assertOneLineError(CliRunner.run("train-seq2seq", "--out", dir.resolve("x").toString()), 2,
        "rnn4j train-seq2seq: error: --data (or --source-file and --target-file) is required (or --resume DIR to continue a run)");
    CliRunner.assertOneLineError(CliRunner.run("train-seq2seq", "--data", data.toString(), "--out",
        dir.resolve("x").toString(), "--attention", "luong"), 2,
        "rnn4j train-seq2seq: error: unknown attention 'luong' (one of additive, dot, general, none)");
    CliRunner.assertOneLineError(CliRunner.run("train-seq2seq", "--data", data.toString(), "--out",
        dir.resolve("x").toString(), "--max-length", "0"), 2,
        "rnn4j train-seq2seq: error: --max-length must be in 1..100000, got 0");
    CliRunner.assertOneLineError(CliRunner.runWithInput("goal\n\nteam\n", "translate", "--model", model.toString()), 2,
        "rnn4j translate: error: stdin line 2 is empty");
    CliRunner.assertOneLineError(CliRunner.run("translate", "--model", model.toString(), "--beam", "0", "x"), 2,
        "rnn4j translate: error: --beam must be in 1..1000, got 0");
    Path bad = dir.resolve("bad.tsv");
    Files.writeString(bad, "source\ttarget\ngoal\tlap\nteam\n");
    CliRunner.assertOneLineError(CliRunner.run("eval-seq2seq", "--model", model.toString(), "--data", bad.toString()),
        1, "rnn4j eval-seq2seq: error: " + bad + ":3: expected 2 fields as in the header, found 1");
    Path lm = dir.resolve("lm");
    TestModels.languageModel(lm);
    CliRunner r = CliRunner.run("translate", "--model", lm.toString(), "x");
    assertEquals(1, r.code, r.toString());
    assertTrue(r.err.contains("task is language_model, not translation (use eval-lm or generate"), r.err);
  }
}
