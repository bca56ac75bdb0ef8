package org.rnn4j.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.io.FormatException;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.text.DataException;
import org.rnn4j.text.ParallelText;
import org.rnn4j.train.TrainingControl;

/** Bad data, settings and model files: each refused with a message naming the file, line or setting. */
class TranslationInputTest {
  @TempDir
  Path dir;

  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static TranslationConfig.Builder tiny(Path data) {
    return TranslationConfig.builder().data(data).validFraction(0).tokenizer("char").embed(4).hidden(6).epochs(1)
        .checkpointSeconds(0);
  }

  @Test
  void readTable_missingField_namesTheLine() throws IOException {
    Path f = file("p.tsv", "source\ttarget\nein Haus\ta house\nnur eine Spalte\n");
    DataException e = assertThrows(DataException.class, () -> ParallelText.readTable(f, "source", "target"));
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("expected 2 fields"), e.getMessage());
  }

  @Test
  void readTable_emptySourceOrTarget_namesTheLine() throws IOException {
    Path f = file("p.tsv", "source\ttarget\nein Haus\ta house\n \tnothing\n");
    DataException e = assertThrows(DataException.class, () -> ParallelText.readTable(f, "source", "target"));
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("source sentence is empty"), e.getMessage());
    Path g = file("q.tsv", "source\ttarget\nein Haus\t\n");
    DataException t = assertThrows(DataException.class, () -> ParallelText.readTable(g, "source", "target"));
    assertEquals(2, t.line());
    assertEquals("the target sentence is empty", t.problem());
  }

  @Test
  void readTable_invalidUtf8_namesTheLine() throws IOException {
    Path f = dir.resolve("bad.tsv");
    Files.write(f, new byte[] {'s', 'o', 'u', 'r', 'c', 'e', '\t', 't', 'a', 'r', 'g', 'e', 't', '\n', 'a', '\t', 'b',
        '\n', (byte) 0xC3, '\t', 'x', '\n'});
    DataException e = assertThrows(DataException.class, () -> ParallelText.readTable(f, "source", "target"));
    assertEquals(3, e.line());
  }

  @Test
  void readTable_unknownColumn_namesTheSetting() throws IOException {
    Path f = file("p.tsv", "de\ten\nein Haus\ta house\n");
    DataException e = assertThrows(DataException.class, () -> ParallelText.readTable(f, "source", "target"));
    assertTrue(e.getMessage().contains("no column 'source'") && e.getMessage().contains("[de, en]"), e.getMessage());
    assertEquals(1, ParallelText.readTable(f, "de", "en").size());
  }

  @Test
  void readTable_csvWithQuotes_readsFields() throws IOException {
    Path f = file("p.csv", "target,source\n\"a, quoted\",\"ein \"\"Zitat\"\"\"\n");
    List<ParallelText.Pair> p = ParallelText.readTable(f, "source", "target");
    assertEquals("ein \"Zitat\"", p.get(0).source());
    assertEquals("a, quoted", p.get(0).target());
  }

  @Test
  void readTable_tsvQuotesAreText() throws IOException {
    Path f = file("p.tsv", "source\ttarget\n\"Haus\"\t\"house\n");
    assertEquals("\"house", ParallelText.readTable(f, "source", "target").get(0).target());
  }

  @Test
  void readParallel_differentLineCounts_namesTheShorterFile() throws IOException {
    Path s = file("s.txt", "eins\nzwei\ndrei\n");
    Path t = file("t.txt", "one\ntwo\n");
    DataException e = assertThrows(DataException.class, () -> ParallelText.readParallel(s, t));
    assertEquals(t, e.file());
    assertEquals(3, e.line());
    assertEquals(3, ParallelText.readParallel(s, file("u.txt", "one\ntwo\nthree")).size());
  }

  @Test
  void readParallel_blankLine_namesIt() throws IOException {
    Path s = file("s.txt", "eins\n\ndrei\n");
    Path t = file("t.txt", "one\ntwo\nthree\n");
    DataException e = assertThrows(DataException.class, () -> ParallelText.readParallel(s, t));
    assertEquals(2, e.line());
    assertEquals(s, e.file());
  }

  @Test
  void train_parallelFiles_equalTheTable() throws IOException {
    Path table = DateData.write(dir.resolve("d.tsv"), 200, 5);
    List<ParallelText.Pair> pairs = ParallelText.readTable(table, "source", "target");
    StringBuilder s = new StringBuilder();
    StringBuilder t = new StringBuilder();
    for (ParallelText.Pair p : pairs) {
      s.append(p.source()).append('\n');
      t.append(p.target()).append('\n');
    }
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    var x = TranslatorTrainer.train(tiny(table).build(), a, TrainingControl.silent());
    var y = TranslatorTrainer.train(tiny(null).sourceFile(file("s.txt", s.toString()))
        .targetFile(file("t.txt", t.toString())).build(), b, TrainingControl.silent());
    assertEquals(x.best().get("train_loss"), y.best().get("train_loss"), 0.0);
  }

  @Test
  void train_validParallelFiles_scoreAsTheValidTable() throws IOException {
    Path table = DateData.write(dir.resolve("d2.tsv"), 200, 5);
    Path valid = DateData.write(dir.resolve("v2.tsv"), 40, 6);
    StringBuilder s = new StringBuilder();
    StringBuilder t = new StringBuilder();
    for (ParallelText.Pair p : ParallelText.readTable(valid, "source", "target")) {
      s.append(p.source()).append('\n');
      t.append(p.target()).append('\n');
    }
    Path vs = file("vs.txt", s.toString());
    Path vt = file("vt.txt", t.toString());
    var x = TranslatorTrainer.train(tiny(table).valid(valid).build(), dir.resolve("va"), TrainingControl.silent());
    var y = TranslatorTrainer.train(tiny(table).validSourceFile(vs).validTargetFile(vt).build(), dir.resolve("vb"),
        TrainingControl.silent());
    assertEquals(x.best().get("valid_loss"), y.best().get("valid_loss"), 0.0);
    assertEquals(x.best().get("valid_bleu"), y.best().get("valid_bleu"), 0.0);
    Translator tr = Translator.load(dir.resolve("vb"));
    Evaluation a = TranslatorTrainer.evaluate(tr, valid, "source", "target", DecodeOptions.greedy());
    Evaluation b = TranslatorTrainer.evaluateParallel(tr, vs, vt, DecodeOptions.greedy());
    assertEquals(40, b.sentences());
    assertEquals(a.bleu(), b.bleu(), 0.0);
    assertEquals(a.loss(), b.loss(), 0.0);
  }

  @Test
  void evaluateParallel_emptyReference_namesTheTargetFileAndLine() throws IOException {
    Path table = DateData.write(dir.resolve("d3.tsv"), 100, 5);
    TranslatorTrainer.train(tiny(table).epochs(1).build(), dir.resolve("vc"), TrainingControl.silent());
    Translator tr = Translator.load(dir.resolve("vc"));
    Path vs = file("vs3.txt", "13 mars 2001\n4 mai 1999\n");
    Path vt = file("vt3.txt", "2001-03-13\n \n");
    DataException e = assertThrows(DataException.class,
        () -> TranslatorTrainer.evaluateParallel(tr, vs, vt, DecodeOptions.greedy()));
    assertEquals(vt, e.file());
    assertEquals(2, e.line());
  }

  @Test
  void config_validParallelFiles_goTogetherAndNotWithValid() {
    Path f = dir.resolve("x.tsv");
    Path v = dir.resolve("v.txt");
    assertEquals("{validSourceFile} and {validTargetFile} go together",
        assertThrows(InvalidSettingException.class, () -> tiny(f).validSourceFile(v).build()).message(n -> "{" + n + "}"));
    assertTrue(assertThrows(InvalidSettingException.class, () -> tiny(f).valid(f).validSourceFile(v).validTargetFile(v)
        .build()).message(n -> "{" + n + "}").startsWith("give either {valid} or {validSourceFile}"));
    assertTrue(assertThrows(InvalidSettingException.class, () -> tiny(f).validFraction(0.2).validSourceFile(v)
        .validTargetFile(v).build()).message(n -> "{" + n + "}").contains("{validFraction}"));
    TranslationConfig c = TranslationConfig.builder().data(f).validSourceFile(v).validTargetFile(dir.resolve("w.txt"))
        .build();
    assertEquals(0.0, c.validFraction(), "no pairs held out of the training data");
    assertEquals(c.toJson(), TranslationConfig.fromJson(c.toJson()).build().toJson());
  }

  @Test
  void train_noPairWithinMaxLength_isRefused() throws IOException {
    Path f = file("long.tsv", "source\ttarget\nabcdef\tghijkl\n");
    DataException e = assertThrows(DataException.class,
        () -> TranslatorTrainer.train(tiny(f).maxLength(3).build(), dir.resolve("o"), TrainingControl.silent()));
    assertTrue(e.getMessage().contains("{maxLength}") || e.getMessage().contains("max-length")
        || e.getMessage().contains("maxLength"), e.getMessage());
  }

  @Test
  void train_missingData_isRefused() {
    assertThrows(NoSuchFileException.class, () -> TranslatorTrainer.train(tiny(dir.resolve("none.tsv")).build(),
        dir.resolve("o"), TrainingControl.silent()));
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> TranslatorTrainer.train(tiny(null).build(), dir.resolve("o"), TrainingControl.silent()));
    assertTrue(e.getMessage().contains("data"), e.getMessage());
    assertThrows(InvalidSettingException.class, () -> TranslatorTrainer.train(tiny(null).sourceFile(dir.resolve("s"))
        .build(), dir.resolve("o"), TrainingControl.silent()));
  }

  @Test
  void config_outOfRangeValues_nameTheSetting() {
    Path f = dir.resolve("x.tsv");
    assertEquals("{maxLength} must be in 1..100000, got 0",
        assertThrows(InvalidSettingException.class, () -> tiny(f).maxLength(0).build()).message(n -> "{" + n + "}"));
    assertEquals("{labelSmoothing} must be in [0, 1), got 1.0",
        assertThrows(InvalidSettingException.class, () -> tiny(f).labelSmoothing(1f).build()).message(n -> "{" + n + "}"));
    assertEquals("{beam} must be in 1..1000, got 0",
        assertThrows(InvalidSettingException.class, () -> tiny(f).beam(0).build()).message(n -> "{" + n + "}"));
    assertTrue(assertThrows(InvalidSettingException.class, () -> tiny(f).sourceColumn("x").targetColumn("x").build())
        .message(n -> "{" + n + "}").startsWith("{sourceColumn} and {targetColumn} must differ"));
    assertTrue(assertThrows(InvalidSettingException.class, () -> tiny(f).attention(org.rnn4j.nn.Attention.Kind.DOT)
        .bidirectional(true).build()).message(n -> "{" + n + "}").startsWith("{attention} dot"));
    assertThrows(InvalidSettingException.class, () -> new DecodeOptions(1, Float.NaN, 2f));
    assertThrows(InvalidSettingException.class, () -> new DecodeOptions(1, 0f, -1f));
  }

  @Test
  void config_jsonRoundTrip() {
    TranslationConfig c = tiny(dir.resolve("x.tsv")).bidirectional(true).attention(org.rnn4j.nn.Attention.Kind.GENERAL)
        .labelSmoothing(0.1f).beam(4).build();
    assertEquals(c.toJson(), TranslationConfig.fromJson(c.toJson()).build().toJson());
  }

  @Test
  void load_corruptOrMismatchedModel_isRefusedNamingTheFile() throws IOException {
    Path table = DateData.write(dir.resolve("d.tsv"), 100, 6);
    Path m = dir.resolve("m");
    TranslatorTrainer.train(tiny(table).build(), m, TrainingControl.silent());
    Translator.load(m);
    // A target vocabulary that does not belong to the model: its checksum no longer matches.
    Path tv = m.resolve(ModelDirectory.TARGET_VOCAB);
    String original = Files.readString(tv);
    Files.writeString(tv, original + "extra\n");
    FormatException e = assertThrows(FormatException.class, () -> Translator.load(m));
    assertTrue(e.getMessage().contains(ModelDirectory.TARGET_VOCAB), e.getMessage());
    Files.writeString(tv, original);
    Files.delete(tv);
    NoSuchFileException n = assertThrows(NoSuchFileException.class, () -> Translator.load(m));
    assertTrue(n.getFile().endsWith(ModelDirectory.TARGET_VOCAB), n.getFile());
  }

  @Test
  void translate_emptyTextOrTooLongSource() throws IOException {
    Path table = DateData.write(dir.resolve("d.tsv"), 100, 7);
    Path m = dir.resolve("m2");
    TranslatorTrainer.train(tiny(table).maxLength(12).build(), m, TrainingControl.silent());
    Translator t = Translator.load(m);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.translate(List.of("13 mai 2001", "  "), DecodeOptions.greedy()));
    assertEquals("text 2 has no tokens (it is empty or blank)", e.getMessage());
    Translator.Translation long1 = t.translate("13 septembre 2001 et encore", DecodeOptions.greedy());
    assertTrue(long1.truncated());
    assertEquals(12, long1.sourceTokens().size());
    Translator.Translation unknown = t.translate("日本", DecodeOptions.greedy());
    assertEquals(List.of("<unk>", "<unk>"), unknown.sourceTokens());
  }

  @Test
  void tiedEmbeddings_saveBothNamesAndRefuseAFileWhereTheyDiffer() throws IOException {
    Path table = DateData.write(dir.resolve("d.tsv"), 100, 8);
    Path m = dir.resolve("tied");
    TranslatorTrainer.train(tiny(table).embed(6).hidden(6).tieEmbeddings(true).build(), m, TrainingControl.silent());
    org.rnn4j.io.Safetensors.Contents w = org.rnn4j.io.Safetensors.read(
        Files.readAllBytes(m.resolve(ModelDirectory.WEIGHTS)));
    org.junit.jupiter.api.Assertions.assertArrayEquals(w.get("tgt_emb.weight").toFloats(),
        w.get("out.weight").toFloats(), "out.weight is tgt_emb.weight, as in PyTorch's state_dict");
    assertEquals(Boolean.TRUE, ((java.util.Map<?, ?>) org.rnn4j.io.Json.parseObject(
        Files.readString(m.resolve(ModelDirectory.CONFIG))).get("model")).get("tied_embeddings"));
    Translator t = Translator.load(m);
    assertEquals(t.translate("3 mai 2001"), t.translate("3 mai 2001"));
    assertTrue(assertThrows(InvalidSettingException.class, () -> tiny(table).embed(6).hidden(8).tieEmbeddings(true)
        .build()).message(n -> "{" + n + "}").startsWith("{tieEmbeddings} needs {embed} (6) equal to {hidden} (8)"));
  }
}
