package org.rnn4j.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.math.Parallel;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.text.ParallelText;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.train.TrainingControl;
import org.rnn4j.train.TrainingListener;
import org.rnn4j.train.TrainingResult;

/** Training, translating and resuming on synthetic dates (DateData): "13 févr. 2045" → "2045-02-13". */
class TranslatorTrainerTest {
  @TempDir
  static Path dir;
  static Path train;
  static Path valid;
  static Path model;
  static TrainingResult trained;

  static TranslationConfig.Builder small() {
    return TranslationConfig.builder().data(train).valid(valid).tokenizer("char").embed(24).hidden(48).batch(32)
        .lr(3e-3).epochs(8).seed(3).checkpointSeconds(0);
  }

  @BeforeAll
  static void trainOnce() throws IOException {
    train = DateData.write(dir.resolve("train.tsv"), 2000, 1);
    valid = DateData.write(dir.resolve("valid.tsv"), 200, 2);
    model = dir.resolve("dates");
    trained = TranslatorTrainer.train(small().build(), model, TrainingControl.silent());
  }

  @Test
  void train_learnsDatesAndWritesEverything() throws IOException {
    EpochMetrics best = trained.best();
    System.out.println("dates: " + best.values());
    assertTrue(best.get(EpochMetrics.VALID_TOKEN_ACCURACY) > 0.9, "token accuracy " + best.values());
    assertTrue(best.get(EpochMetrics.VALID_BLEU) > 60, "BLEU " + best.values());
    for (String f : List.of(ModelDirectory.CONFIG, ModelDirectory.VOCAB, ModelDirectory.TARGET_VOCAB,
        ModelDirectory.WEIGHTS, ModelDirectory.METRICS, ModelDirectory.PLOT)) {
      assertTrue(Files.isRegularFile(model.resolve(f)), f);
    }
    Translator t = Translator.load(model);
    assertEquals("2045-02-13", String.join("", t.translate("13 févr. 2045", DecodeOptions.greedy()).tokens()));
  }

  @Test
  void translate_attentionLooksAtTheYearWhileWritingIt() throws IOException {
    Translator t = Translator.load(model);
    Translator.Translation tr = t.translate("13. Februar 2045", DecodeOptions.greedy());
    assertEquals("2045-02-13", String.join("", tr.tokens()));
    // The year's four output characters attend most to the year's four source characters.
    List<String> src = tr.sourceTokens();
    int yearStart = String.join("", src).indexOf("2045");
    for (int i = 0; i < 4; i++) {
      float[] row = tr.attention()[i];
      int argmax = 0;
      for (int s = 1; s < row.length; s++) {
        argmax = row[s] > row[argmax] ? s : argmax;
      }
      assertTrue(argmax >= yearStart - 1 && argmax <= yearStart + 4,
          "output " + i + " attends to " + src.get(argmax) + " at " + argmax + " (year at " + yearStart + ")");
      double sum = 0;
      for (float w : row) {
        sum += w;
      }
      assertEquals(1.0, sum, 1e-5, "weights of a row sum to one");
    }
  }

  @Test
  void load_evaluatesAsTrainingDid() throws IOException {
    Translator t = Translator.load(model);
    Evaluation e = TranslatorTrainer.evaluate(t, valid, "source", "target", DecodeOptions.greedy());
    EpochMetrics best = trained.best();
    assertEquals(best.get(EpochMetrics.VALID_BLEU), e.bleu(), 0.0);
    assertEquals(best.get(EpochMetrics.VALID_LOSS), e.loss(), 1e-12);
    assertEquals(200, e.sentences());
  }

  @Test
  void beam_isNotWorseThanGreedyAndBeamOneIsGreedy() throws IOException {
    Translator t = Translator.load(model);
    Evaluation greedy = TranslatorTrainer.evaluate(t, valid, "source", "target", DecodeOptions.greedy());
    Evaluation one = TranslatorTrainer.evaluate(t, valid, "source", "target", new DecodeOptions(1, 0f, 2f));
    Evaluation five = TranslatorTrainer.evaluate(t, valid, "source", "target", DecodeOptions.beam(5));
    assertEquals(greedy.bleu(), one.bleu(), 0.0);
    for (int i = 0; i < 200; i++) {
      Translator.Translation g = greedy.translations().get(i);
      Translator.Translation b = five.translations().get(i);
      if (g.finished()) {
        assertTrue(b.score() >= g.score() - 1e-9, "beam 5 finds a sentence at least as likely, sentence " + i);
      }
    }
    assertTrue(five.bleu() >= greedy.bleu() - 1.0, "beam 5 BLEU " + five.bleu() + " vs greedy " + greedy.bleu());
  }

  @Test
  void translate_chunksOnThreadsEqualOneSentenceAtATimeBitForBit() throws IOException {
    Translator t = Translator.load(model);
    List<String> sources = new ArrayList<>();
    for (ParallelText.Pair p : ParallelText.readTable(valid, "source", "target")) {
      sources.add(p.source());
    }
    assertTrue(sources.size() > 3 * Translator.CHUNK, "several chunks");
    int before = Parallel.threads();
    try {
      for (DecodeOptions options : List.of(DecodeOptions.greedy(), DecodeOptions.beam(4))) {
        Parallel.setThreads(3);
        List<Translator.Translation> together = t.translate(sources, options);
        Parallel.setThreads(1);
        for (int i = 0; i < sources.size(); i += 37) {
          Translator.Translation alone = t.translate(sources.get(i), options);
          Translator.Translation got = together.get(i);
          assertEquals(alone.tokens(), got.tokens(), "sentence " + i + " beam " + options.beam());
          assertEquals(alone.score(), got.score(), 0.0, "sentence " + i + " beam " + options.beam());
          for (int r = 0; r < alone.attention().length; r++) {
            assertArrayEquals(alone.attention()[r], got.attention()[r], "sentence " + i + " step " + r);
          }
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void resume_afterStopMidEpochEndsWithIdenticalWeights() throws IOException {
    TranslationConfig cfg = small().epochs(2).dropout(0.2f).layers(2).build();
    Path straight = dir.resolve("straight");
    TrainingResult s = TranslatorTrainer.train(cfg, straight, TrainingControl.silent());
    Path stopped = dir.resolve("stopped");
    TrainingControl[] h = new TrainingControl[1];
    int[] batches = {0};
    h[0] = TrainingControl.of(new TrainingListener() {
      @Override
      public void batchFinished(int epoch, long done, long samples, double loss, double accuracy) {
        if (++batches[0] == 20 || batches[0] == 90) {
          h[0].requestStop();
        }
      }
    });
    assertTrue(TranslatorTrainer.train(cfg, stopped, h[0]).interrupted());
    assertTrue(TranslatorTrainer.resume(stopped, h[0]).interrupted());
    TrainingResult r = TranslatorTrainer.resume(stopped, TrainingControl.silent());
    assertFalse(r.interrupted());
    assertArrayEquals(Files.readAllBytes(straight.resolve(ModelDirectory.WEIGHTS)),
        Files.readAllBytes(stopped.resolve(ModelDirectory.WEIGHTS)), "model.safetensors differs after resume");
    for (int e = 0; e < 2; e++) {
      assertEquals(s.history().get(e).get(EpochMetrics.VALID_BLEU), r.history().get(e).get(EpochMetrics.VALID_BLEU), 0.0);
    }
  }
}
