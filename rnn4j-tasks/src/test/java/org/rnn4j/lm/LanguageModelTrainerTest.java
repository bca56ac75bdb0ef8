package org.rnn4j.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Safetensors;
import org.rnn4j.nn.CellType;
import org.rnn4j.persist.Checkpoint;
import org.rnn4j.persist.CheckpointFiles;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.random.Rng;
import org.rnn4j.text.DataException;
import org.rnn4j.train.NumericalFaultException;
import org.rnn4j.train.TrainingControl;
import org.rnn4j.train.TrainingListener;
import org.rnn4j.train.TrainingResult;

class LanguageModelTrainerTest {
  @TempDir
  static Path shared;
  static Path trainFile;
  static Path validFile;
  static Path model;
  static TrainingResult trained;

  @TempDir
  Path dir;

  /** Sentences from a tiny grammar: learnable structure, a few thousand characters. */
  static String corpus(long seed, int sentences) {
    String[] who = {"the cat", "a dog", "the old man", "my sister", "the whale"};
    String[] did = {"sat on", "looked at", "ran past", "sang to", "dreamt of"};
    String[] what = {"the mat", "the sea", "a red ship", "the moon", "our house"};
    Rng r = new Rng(seed);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < sentences; i++) {
      String s = who[r.nextInt(5)] + " " + did[r.nextInt(5)] + " " + what[r.nextInt(5)] + ".";
      b.append(Character.toUpperCase(s.charAt(0))).append(s.substring(1)).append(i % 4 == 3 ? "\n" : " ");
    }
    return b.toString();
  }

  static LanguageModelConfig.Builder small() {
    return LanguageModelConfig.builder().data(trainFile).valid(validFile).embed(8).hidden(32).seqLength(16)
        .batch(8).epochs(3).lr(1e-2).sampleLength(60).threads(1);
  }

  @BeforeAll
  static void trainOnce() throws IOException {
    trainFile = shared.resolve("train.txt");
    validFile = shared.resolve("valid.txt");
    Files.writeString(trainFile, corpus(1, 600));
    Files.writeString(validFile, corpus(2, 100));
    model = shared.resolve("model");
    trained = LanguageModelTrainer.train(small().build(), model, TrainingControl.silent());
  }

  @Test
  void train_learnsTheGrammarAndWritesEverything() throws IOException {
    List<EpochMetrics> h = trained.history();
    assertEquals(3, h.size());
    double first = h.get(0).get("valid_bits_per_char");
    double last = h.get(2).get("valid_bits_per_char");
    // A uniform guess over the ~30 characters costs 4.9 bits; the grammar allows far less.
    assertTrue(last < first && last < 2.0, "valid bits/char " + first + " -> " + last);
    assertEquals(h.get(2).get("valid_loss") / Math.log(2), last, 1e-12);
    assertEquals(60, h.get(2).text("sample").length());
    for (String f : new String[] {ModelDirectory.CONFIG, ModelDirectory.VOCAB, ModelDirectory.WEIGHTS,
        ModelDirectory.METRICS, ModelDirectory.PLOT, Checkpoint.FILE}) {
      assertTrue(Files.isRegularFile(model.resolve(f)), f);
    }
    List<String> checkpoints;
    try (Stream<Path> s = Files.list(model.resolve(Checkpoint.COPIES))) {
      checkpoints = s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
    assertEquals(3, checkpoints.size());
    for (int e = 1; e <= 3; e++) {
      assertEquals(String.format(java.util.Locale.ROOT, "epoch-%03d-valid-%.4f.safetensors", e,
          h.get(e - 1).get("valid_loss")), checkpoints.get(e - 1));
    }
    String config = Files.readString(model.resolve(ModelDirectory.CONFIG));
    assertTrue(config.contains("\"task\": \"language_model\""), config);
  }

  @Test
  void load_evaluatesExactlyAsTrainingDid() throws IOException {
    LanguageModel lm = LanguageModel.load(model);
    LanguageModelEvaluation e = lm.evaluate(Files.readString(validFile));
    EpochMetrics best = trained.best();
    assertEquals(best.get("valid_loss"), e.loss(), 0.0);
    assertEquals(best.get("valid_bits_per_char"), e.bitsPerChar(), 0.0);
    assertEquals(Files.readString(validFile).length() - 1, e.chars());
    assertEquals(0, e.unknown());
  }

  @Test
  void evaluate_unseenCharactersCountAsUnknown() throws IOException {
    LanguageModel lm = LanguageModel.load(model);
    String text = "The cat sat on the mat. \u03a9 The dog.";
    LanguageModelEvaluation e = lm.evaluate(text);
    assertEquals(1, e.unknown());
    assertEquals(text.length() - 1, e.tokens());
    assertTrue(Double.isFinite(e.loss()) && e.loss() > lm.evaluate(text.replace("\u03a9 ", "")).loss());
  }

  @Test
  void evaluate_tooShortText_isRefused() throws IOException {
    LanguageModel lm = LanguageModel.load(model);
    assertEquals("the text has 1 token(s); evaluation needs at least 2 (one to read, one to predict)",
        assertThrows(IllegalArgumentException.class, () -> lm.evaluate("a")).getMessage());
  }

  @Test
  void generate_streamsWhatItReturnsAndIsReproducible() throws IOException {
    LanguageModel lm = LanguageModel.load(model);
    StringBuilder streamed = new StringBuilder();
    String a = lm.generate("The cat", 80, lm.sampler(0.8, 0, 1, 5), streamed::append);
    assertEquals(80, a.length());
    assertEquals(a, streamed.toString());
    assertEquals(a, lm.generate("The cat", 80, lm.sampler(0.8, 0, 1, 5), s -> { }));
    assertFalse(a.contains("<unk>"));
    String greedy = lm.generate("The whale ", 30, lm.greedySampler(), s -> { });
    assertEquals(greedy, lm.generate("The whale ", 30, lm.greedySampler(), s -> { }));
    // Learned structure: greedy decoding continues "The whale " with a verb of the grammar.
    assertTrue(greedy.matches("(sat on|looked at|ran past|sang to|dreamt of).*"), greedy);
  }

  /** A prime is read as if it followed a line break, where the model has learned text to start. */
  @Test
  void generate_primeStartsAfterALineBreak() throws IOException {
    LanguageModel lm = LanguageModel.load(model);
    int nl = lm.vocabulary().id("\n");
    int[] ids = lm.encodePrime("The cat");
    assertEquals(nl, ids[0]);
    assertEquals(8, ids.length);
    assertArrayEquals(ids, lm.encodePrime("\nThe cat"));
    assertEquals(lm.generate("The cat", 40, lm.sampler(1.0, 0, 1, 3), s -> { }),
        lm.generate("\nThe cat", 40, lm.sampler(1.0, 0, 1, 3), s -> { }));
    assertArrayEquals(new int[] {nl}, lm.encodePrime(""));
  }

  @Test
  void generate_badArguments_areRefused() throws IOException {
    LanguageModel lm = LanguageModel.load(model);
    assertEquals("prime contains '\u00e9' (U+00E9), '#' (U+0023), '1' (U+0031), which the model never saw in training",
        assertThrows(IllegalArgumentException.class,
            () -> lm.generate("caf\u00e9 #1", 5, lm.greedySampler(), s -> { })).getMessage());
    assertEquals("length must be >= 0, got -1", assertThrows(IllegalArgumentException.class,
        () -> lm.generate("The", -1, lm.greedySampler(), s -> { })).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> lm.sampler(0, 0, 1, 1)).getMessage()
        .startsWith("temperature must be > 0"));
  }

  @Test
  void train_patience_stopsOncePatienceEpochsBringNoLowerValidationLoss() throws IOException {
    // A learning rate this high overshoots: the validation loss stops falling after a few epochs.
    TrainingResult r = LanguageModelTrainer.train(small().lr(0.3).epochs(10).patience(2).sampleLength(0).build(),
        dir.resolve("p"), TrainingControl.silent());
    assertTrue(r.stoppedEarly(), r.history()::toString);
    assertEquals(r.best().epoch() + 2, r.history().size(), "two epochs (the patience) after the best");
    for (EpochMetrics m : r.history()) {
      assertTrue(m.get(EpochMetrics.VALID_LOSS) >= r.best().get(EpochMetrics.VALID_LOSS));
    }
  }

  /** A session over several streams steps each one as a one-stream session would. */
  @Test
  void session_batchedStepsEqualSingleStreams() throws IOException {
    LanguageModel lm = LanguageModel.load(model);
    int[] a = lm.encode("The cat sat");
    int[] b = lm.encode("A dog ran p");
    LanguageModel.Session both = lm.newSession(2);
    LanguageModel.Session onlyB = lm.newSession(1);
    int v = lm.vocabulary().size();
    float[] last = null;
    for (int i = 0; i < a.length; i++) {
      last = both.step(new int[] {a[i], b[i]}).clone();
      float[] single = onlyB.step(new int[] {b[i]});
      assertArrayEquals(java.util.Arrays.copyOf(single, v), java.util.Arrays.copyOfRange(last, v, 2 * v), "step " + i);
    }
    LanguageModel.Session onlyA = lm.newSession(1);
    assertArrayEquals(onlyA.feed(a), java.util.Arrays.copyOf(last, v));
    float[] p = onlyA.probabilities(last, 1);
    double sum = 0;
    for (float x : p) {
      sum += x;
    }
    assertEquals(1.0, sum, 1e-5);
  }

  @Test
  void resume_afterStopMidEpochEndsWithIdenticalWeights() throws IOException {
    LanguageModelConfig cfg = small().cell(CellType.GRU).layers(2).dropout(0.2f).epochs(2).sampleLength(20).build();
    Path straight = dir.resolve("straight");
    TrainingResult s = LanguageModelTrainer.train(cfg, straight, TrainingControl.silent());
    Path stopped = dir.resolve("stopped");
    TrainingControl[] h = new TrainingControl[1];
    int[] windows = {0};
    h[0] = TrainingControl.of(new TrainingListener() {
      @Override
      public void batchFinished(int epoch, long done, long samples, double loss, double accuracy) {
        if (++windows[0] == 20 || windows[0] == 55) {
          h[0].requestStop();
        }
      }
    });
    assertTrue(LanguageModelTrainer.train(cfg, stopped, h[0]).interrupted());
    assertTrue(LanguageModelTrainer.resume(stopped, h[0]).interrupted());
    TrainingResult r = LanguageModelTrainer.resume(stopped, TrainingControl.silent());
    assertFalse(r.interrupted());
    assertArrayEquals(Files.readAllBytes(straight.resolve(ModelDirectory.WEIGHTS)),
        Files.readAllBytes(stopped.resolve(ModelDirectory.WEIGHTS)), "model.safetensors differs after resume");
    for (int e = 0; e < 2; e++) {
      assertEquals(s.history().get(e).get("valid_loss"), r.history().get(e).get("valid_loss"), 0.0);
      assertEquals(s.history().get(e).text("sample"), r.history().get(e).text("sample"));
    }
  }

  @Test
  void resume_ofAClassifierCheckpoint_isRefused() throws Exception {
    Path out = dir.resolve("x");
    Files.createDirectories(out);
    Files.copy(Path.of(getClass().getResource("/format-v1/classifier/" + Checkpoint.FILE).toURI()),
        out.resolve(Checkpoint.FILE));
    FormatException e = assertThrows(FormatException.class, () -> LanguageModelTrainer.resume(out, TrainingControl.silent()));
    assertEquals(out.resolve(Checkpoint.FILE) + ": this checkpoint is for task classification, not language_model",
        e.getMessage());
  }

  @Test
  void train_nanInTheWeights_stopsNamingTheStep() throws IOException {
    Path out = dir.resolve("nan");
    TrainingControl[] h = new TrainingControl[1];
    int[] windows = {0};
    h[0] = TrainingControl.of(new TrainingListener() {
      @Override
      public void batchFinished(int epoch, long done, long samples, double loss, double accuracy) {
        if (++windows[0] == 3) {
          h[0].requestStop();
        }
      }
    });
    LanguageModelTrainer.train(small().epochs(1).build(), out, h[0]);
    CheckpointFiles.fillWithNaN(out, "param.fc.bias");
    NumericalFaultException e = assertThrows(NumericalFaultException.class,
        () -> LanguageModelTrainer.resume(out, TrainingControl.silent()));
    assertTrue(e.getMessage().startsWith("the loss is NaN at step 4 (epoch 1, window 4); the last good checkpoint is kept in "),
        e.getMessage());
  }

  @Test
  void train_wordTokens_generatesWords() throws IOException {
    Path out = dir.resolve("words");
    LanguageModelTrainer.train(small().tokenizer("whitespace").seqLength(8).epochs(2).build(), out,
        TrainingControl.silent());
    LanguageModel lm = LanguageModel.load(out);
    assertEquals("whitespace", lm.tokenizer().name());
    String g = lm.generate("The", 6, lm.greedySampler(), s -> { });
    assertTrue(g.startsWith(" "), "words follow the prime with a space: '" + g + "'");
    assertEquals(6, g.trim().split(" ").length, g);
    assertTrue(lm.evaluate(Files.readString(validFile)).bitsPerChar() < 1.0);
  }

  @Test
  void train_textTooShortForTheBatch_isRefused() throws IOException {
    Path f = dir.resolve("short.txt");
    Files.writeString(f, "hello world, hello again");
    DataException e = assertThrows(DataException.class, () -> LanguageModelTrainer.train(
        small().data(f).valid(null).validFraction(0).build(), dir.resolve("o"), TrainingControl.silent()));
    assertEquals(f + ": the text has 24 tokens, too few for batch 8 streams of seqLength 16 (needs at least 129)",
        e.getMessage());
  }

  @Test
  void train_emptyText_isRefused() throws IOException {
    Path f = dir.resolve("empty.txt");
    Files.writeString(f, " \n\n ");
    DataException e = assertThrows(DataException.class, () -> LanguageModelTrainer.train(
        small().data(f).build(), dir.resolve("o"), TrainingControl.silent()));
    assertEquals(f + ": the text is empty", e.getMessage());
    assertFalse(Files.exists(dir.resolve("o")), "no partial model directory left behind");
  }

  @Test
  void train_invalidUtf8_namesTheLine() throws IOException {
    Path f = dir.resolve("latin1.txt");
    byte[] bytes = "line one\nline two\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(f, bytes);
    DataException e = assertThrows(DataException.class, () -> LanguageModelTrainer.train(
        small().data(f).build(), dir.resolve("o"), TrainingControl.silent()));
    assertEquals(f + ":3: invalid UTF-8 (byte offset 21); save the file as UTF-8", e.getMessage());
    assertFalse(Files.exists(dir.resolve("o").resolve(ModelDirectory.CONFIG)));
  }

  @Test
  void train_missingValidFile_isRefused() {
    Path f = dir.resolve("nope.txt");
    java.nio.file.NoSuchFileException e = assertThrows(java.nio.file.NoSuchFileException.class,
        () -> LanguageModelTrainer.train(small().valid(f).build(), dir.resolve("o"), TrainingControl.silent()));
    assertEquals("no such file (valid)", e.getReason());
  }

  @Test
  void train_directoryAsData_isRefusedAsADirectory() {
    DataException e = assertThrows(DataException.class,
        () -> LanguageModelTrainer.train(small().data(dir).build(), dir.resolve("o"), TrainingControl.silent()));
    assertEquals(dir + ": is a directory, not a text file (data)", e.getMessage());
  }

  @Test
  void validFraction_takesTheTailOfTheText() throws IOException {
    Path out = dir.resolve("tail");
    TrainingResult r = LanguageModelTrainer.train(small().valid(null).validFraction(0.2).epochs(1).sampleLength(0)
        .build(), out, TrainingControl.silent());
    String text = Files.readString(trainFile);
    String tail = text.substring((int) Math.round(text.length() * 0.8));
    assertEquals(LanguageModel.load(out).evaluate(tail).loss(), r.history().get(0).get("valid_loss"), 0.0);
    assertEquals(null, r.history().get(0).text("sample"));
  }

  @Test
  void config_outOfRangeValues_nameTheFlag() {
    assertEquals("seqLength must be in 1..1048576, got 0",
        assertThrows(IllegalArgumentException.class, () -> small().seqLength(0).build()).getMessage());
    assertEquals("batch must be in 1..65536, got 0",
        assertThrows(IllegalArgumentException.class, () -> small().batch(0).build()).getMessage());
    assertEquals("lr must be > 0, got -0.1",
        assertThrows(IllegalArgumentException.class, () -> small().lr(-0.1).build()).getMessage());
    assertEquals("lrDecay must be in (0, 1], got 1.5",
        assertThrows(IllegalArgumentException.class, () -> small().lrDecay(1.5).build()).getMessage());
    assertEquals("hidden must be in 1..65536, got 0",
        assertThrows(IllegalArgumentException.class, () -> small().hidden(0).build()).getMessage());
    assertEquals("sampleTemperature must be > 0, got 0.0",
        assertThrows(IllegalArgumentException.class, () -> small().sampleTemperature(0).build()).getMessage());
    assertEquals("give either valid or validFraction, not both",
        assertThrows(IllegalArgumentException.class, () -> small().validFraction(0.1).build()).getMessage());
    assertEquals("unknown tokenizer 'bpe' (allowed: basic_english, char, whitespace, word, keras_lower_and_strip_punctuation)",
        assertThrows(IllegalArgumentException.class, () -> small().tokenizer("bpe").build()).getMessage());
  }

  @Test
  void config_jsonRoundTrip() {
    LanguageModelConfig c = small().cell(CellType.GRU).layers(2).dropout(0.25f).lrDecay(0.97)
        .seed((1L << 60) + 1).build();
    assertEquals(c.toJson(), c.toBuilder().build().toJson());
    assertEquals((1L << 60) + 1, c.toBuilder().build().toJson().get("seed"), "a seed above 2^53 survives");
  }

  @Test
  void load_classifierOrMissingModel_isRefused(@TempDir Path other) throws IOException {
    Files.writeString(other.resolve(ModelDirectory.CONFIG), "{\"format\": \"rnn4j-model\", \"format_version\": 1,"
        + " \"task\": \"classification\"}");
    Files.writeString(other.resolve(ModelDirectory.VOCAB), "<unk>\n");
    Files.write(other.resolve(ModelDirectory.WEIGHTS), Safetensors.toBytes(List.of(), java.util.Map.of()));
    FormatException e = assertThrows(FormatException.class, () -> LanguageModel.load(other));
    assertTrue(e.getMessage().endsWith("task is classification, not language_model"),
        e.getMessage());
    assertThrows(java.nio.file.NoSuchFileException.class, () -> LanguageModel.load(other.resolve("none")));
  }
}
