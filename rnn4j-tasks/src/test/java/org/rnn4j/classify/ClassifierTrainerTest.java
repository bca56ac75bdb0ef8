package org.rnn4j.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Safetensors;
import org.rnn4j.nn.CellType;
import org.rnn4j.persist.Checkpoint;
import org.rnn4j.persist.CheckpointFiles;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.text.LabeledText;
import org.rnn4j.train.NumericalFaultException;
import org.rnn4j.train.TrainingControl;
import org.rnn4j.train.TrainingListener;
import org.rnn4j.train.TrainingResult;

class ClassifierTrainerTest {
  @TempDir
  Path dir;

  static final List<LabeledText> TRAIN = Synthetic.data(1200, 1);
  static final List<LabeledText> VALID = Synthetic.data(300, 2);

  static TrainingConfig.Builder small() {
    return TrainingConfig.builder().embed(16).hidden(24).epochs(3).batch(16).lr(5e-3).seed(7).checkpointSeconds(0);
  }

  @Test
  void train_learnsAndWritesALoadableModelDirectory() throws Exception {
    Path out = dir.resolve("m");
    TrainingResult r = ClassifierTrainer.train(small().build(), TRAIN, VALID, out, TrainingControl.silent());
    assertEquals(3, r.history().size());
    assertTrue(r.best().get("valid_accuracy") > 0.9, "valid accuracy " + r.best().get("valid_accuracy"));
    for (String f : new String[] {"config.json", "vocab.txt", "model.safetensors", "metrics.jsonl", "training.png", Checkpoint.FILE}) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    assertEquals(3, Files.readAllLines(out.resolve("metrics.jsonl")).size());
    try (java.util.stream.Stream<Path> copies = Files.list(out.resolve(Checkpoint.COPIES))) {
      List<String> names = copies.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(3, names.size(), names::toString);
      for (int e = 1; e <= 3; e++) {
        assertEquals(String.format(java.util.Locale.ROOT, "epoch-%03d-valid-%.4f.safetensors", e,
            r.history().get(e - 1).get(EpochMetrics.VALID_LOSS)), names.get(e - 1));
      }
    }
    Safetensors.Contents w = Safetensors.read(out.resolve("model.safetensors"));
    assertTrue(w.tensors().keySet().containsAll(List.of("embedding.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0",
        "rnn.bias_ih_l0", "rnn.bias_hh_l0", "fc.weight", "fc.bias")));

    Classifier c = Classifier.load(out);
    assertEquals(List.of(Synthetic.CLASSES).stream().sorted().toList(), c.classes());
    Evaluation e = c.evaluate(VALID);
    assertEquals(r.best().get("valid_accuracy"), e.accuracy(), 1e-12, "loaded model reproduces the best epoch");
    assertEquals("gamma", c.predict("filler1 gammaword2 filler3 gammaword4").label());
  }

  @Test
  void resume_afterStopEndsWithIdenticalWeights() throws Exception {
    TrainingConfig cfg = small().cell(CellType.GRU).layers(2).dropout(0.2f).epochs(3).build();
    Path straight = dir.resolve("straight");
    ClassifierTrainer.train(cfg, TRAIN, VALID, straight, TrainingControl.silent());

    Path stopped = dir.resolve("stopped");
    int[] batches = {0};
    TrainingControl[] holder = new TrainingControl[1];
    holder[0] = TrainingControl.of(new TrainingListener() {
      @Override
      public void batchFinished(int epoch, long done, long samples, double loss, double accuracy) {
        if (++batches[0] == 100) { // in the middle of epoch 2
          holder[0].requestStop();
        }
      }
    });
    TrainingResult first = ClassifierTrainer.train(cfg, TRAIN, VALID, stopped, holder[0]);
    assertTrue(first.interrupted());
    assertEquals(1, first.history().size());
    TrainingResult second = ClassifierTrainer.resume(stopped, TRAIN, VALID, TrainingControl.silent());
    assertFalse(second.interrupted());
    assertEquals(3, second.history().size());
    assertArrayEquals(Files.readAllBytes(straight.resolve(ModelDirectory.WEIGHTS)),
        Files.readAllBytes(stopped.resolve(ModelDirectory.WEIGHTS)), "model.safetensors differs after resume");
    assertArrayEquals(
        Safetensors.read(straight.resolve(Checkpoint.FILE)).get("param.fc.weight").toFloats(),
        Safetensors.read(stopped.resolve(Checkpoint.FILE)).get("param.fc.weight").toFloats());
    List<EpochMetrics> a = ClassifierTrainer.train(cfg, TRAIN, VALID, dir.resolve("again"), TrainingControl.silent()).history();
    for (int i = 0; i < 3; i++) {
      assertEquals(a.get(i).get("valid_loss"), second.history().get(i).get("valid_loss"), "epoch " + (i + 1));
      assertEquals(a.get(i).get("train_loss"), second.history().get(i).get("train_loss"), 1e-12, "epoch " + (i + 1));
    }
  }

  @Test
  void train_patience_stopsOncePatienceEpochsBringNoBetterAccuracy() throws Exception {
    // A learning rate this high makes the validation accuracy stall after its first peak.
    TrainingConfig cfg = small().lr(0.5).epochs(8).patience(1).build();
    List<String> messages = new ArrayList<>();
    TrainingResult r = ClassifierTrainer.train(cfg, TRAIN, VALID, dir.resolve("p"), TrainingControl.of(
        new TrainingListener() {
          @Override
          public void message(String text) {
            messages.add(text);
          }
        }));
    assertTrue(r.stoppedEarly(), r.history()::toString);
    assertEquals(r.best().epoch() + 1, r.history().size(), "one epoch (the patience) after the best");
    assertTrue(messages.contains("early stop: validation accuracy has not improved for 1 epochs"), messages::toString);
  }

  @Test
  void train_lazyEmbeddingStillLearns() throws Exception {
    TrainingResult r = ClassifierTrainer.train(small().lazyEmbedding(true).build(), TRAIN, VALID, dir.resolve("lazy"),
        TrainingControl.silent());
    assertTrue(r.best().get("valid_accuracy") > 0.9, "valid accuracy " + r.best().get("valid_accuracy"));
    assertEquals("lazyEmbedding needs optimizer adam or adamw", assertThrows(IllegalArgumentException.class,
        () -> small().lazyEmbedding(true).optimizer("sgd").build()).getMessage());
  }

  @Test
  void predict_fromSixteenThreadsEqualsSequential() throws Exception {
    Path out = dir.resolve("m");
    ClassifierTrainer.train(small().epochs(1).build(), TRAIN, VALID, out, TrainingControl.silent());
    Classifier c = Classifier.load(out);
    List<LabeledText> texts = Synthetic.data(400, 99);
    List<float[]> expected = new ArrayList<>();
    for (LabeledText t : texts) {
      expected.add(c.predict(t.text()).probabilities());
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Boolean>> futures = new ArrayList<>();
      for (int th = 0; th < 16; th++) {
        int offset = th;
        futures.add(pool.submit(() -> {
          for (int k = 0; k < texts.size(); k++) {
            int i = (k * 7 + offset * 13) % texts.size();
            if (!java.util.Arrays.equals(expected.get(i), c.predict(texts.get(i).text()).probabilities())) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : futures) {
        assertTrue(f.get(), "a concurrent prediction differed from the sequential one");
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void train_refusesAnExistingModelWithoutOverwrite() throws Exception {
    Path out = dir.resolve("m");
    ClassifierTrainer.train(small().epochs(1).build(), TRAIN, VALID, out, TrainingControl.silent());
    String m = assertThrows(IllegalArgumentException.class,
        () -> ClassifierTrainer.train(small().epochs(1).build(), TRAIN, VALID, out, TrainingControl.silent())).getMessage();
    assertEquals("out " + out + " already holds a model; continue it with resume " + out
        + ", choose another out, or set overwrite", m);
  }

  @Test
  void train_refusesUnwritableOutputBeforeTraining() throws Exception {
    Path blocker = dir.resolve("file");
    Files.writeString(blocker, "x");
    String m = assertThrows(IllegalArgumentException.class,
        () -> ClassifierTrainer.train(small().build(), TRAIN, VALID, blocker, TrainingControl.silent())).getMessage();
    assertEquals("out " + blocker + " exists and is not a directory", m);
    Path readOnly = dir.resolve("ro");
    Files.createDirectories(readOnly);
    readOnly.toFile().setWritable(false);
    try {
      if (!Files.isWritable(readOnly)) { // root ignores permissions
        Exception e = assertThrows(java.io.IOException.class,
            () -> ClassifierTrainer.train(small().build(), TRAIN, VALID, readOnly.resolve("m"), TrainingControl.silent()));
        assertTrue(e.getMessage().startsWith("cannot write to the output directory"), e.getMessage());
      }
    } finally {
      readOnly.toFile().setWritable(true);
    }
  }

  /** Trains one epoch, stops, and writes NaN into fc.bias of the checkpoint. */
  private Path checkpointWithNan(String name, String onNan) throws Exception {
    Path out = dir.resolve(name);
    TrainingControl[] h = new TrainingControl[1];
    h[0] = TrainingControl.of(new TrainingListener() {
      @Override
      public void epochFinished(EpochMetrics m, boolean best) {
        h[0].requestStop();
      }
    });
    ClassifierTrainer.train(small().epochs(2).onNan(onNan).build(), TRAIN, VALID, out, h[0]);
    CheckpointFiles.fillWithNaN(out, "param.fc.bias");
    return out;
  }

  @Test
  void train_stopsOnNanNamingStepBatchAndKeepsLastCheckpoint() throws Exception {
    Path out = checkpointWithNan("nan", "stop");
    byte[] before = Files.readAllBytes(out.resolve(Checkpoint.FILE));
    NumericalFaultException e = assertThrows(NumericalFaultException.class,
        () -> ClassifierTrainer.resume(out, TRAIN, VALID, TrainingControl.silent()));
    assertEquals("the loss is NaN at step 76 (epoch 2, batch 1); the last good checkpoint is kept in " + out
        + " (lower lr, set clip, or set onNan to skip)", e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(out.resolve(Checkpoint.FILE)), "checkpoint was overwritten");
  }

  @Test
  void train_skipsNanBatchesWhenAsked() throws Exception {
    Path out = checkpointWithNan("nan-skip", "skip");
    List<String> messages = new ArrayList<>();
    TrainingResult r = ClassifierTrainer.resume(out, TRAIN, VALID, TrainingControl.of(new TrainingListener() {
      @Override
      public void message(String text) {
        messages.add(text);
      }
    }));
    assertEquals(75, r.skippedBatches(), "every batch of epoch 2 has a NaN loss");
    assertTrue(messages.contains("skipped batch: the loss is NaN at step 76 (epoch 2, batch 1)"), messages.toString());
  }

  @Test
  void evaluate_labelNotSeenInTraining() throws Exception {
    Path out = dir.resolve("m");
    ClassifierTrainer.train(small().epochs(1).build(), TRAIN, VALID, out, TrainingControl.silent());
    Classifier c = Classifier.load(out);
    String m = assertThrows(IllegalArgumentException.class,
        () -> c.evaluate(List.of(new LabeledText("epsilon", "filler1", 17)))).getMessage();
    assertEquals("line 17: label 'epsilon' is not one of the model's classes [alpha, beta, delta, gamma]", m);
  }

  @Test
  void predict_emptyText() throws Exception {
    Path out = dir.resolve("m");
    ClassifierTrainer.train(small().epochs(1).build(), TRAIN, VALID, out, TrainingControl.silent());
    Classifier c = Classifier.load(out);
    assertEquals("text 1: the text is empty (it has no tokens)",
        assertThrows(IllegalArgumentException.class, () -> c.predict("  \t ")).getMessage());
    // An unknown word is not an error: it maps to <unk>.
    assertEquals(4, c.predict("zzzz-never-seen").probabilities().length);
  }

  @Test
  void config_rejectsOutOfRangeArguments() {
    assertEquals("lr must be > 0, got 0.0", assertThrows(IllegalArgumentException.class,
        () -> small().lr(0).build()).getMessage());
    assertEquals("batch must be in 1..65536, got 0", assertThrows(IllegalArgumentException.class,
        () -> small().batch(0).build()).getMessage());
    assertEquals("epochs must be at least 1, got -1", assertThrows(IllegalArgumentException.class,
        () -> small().epochs(-1).build()).getMessage());
    assertEquals("optimizer must be adam, adamw or sgd, got 'rmsprop'", assertThrows(IllegalArgumentException.class,
        () -> small().optimizer("rmsprop").build()).getMessage());
    assertEquals("give either valid or validFraction, not both", assertThrows(IllegalArgumentException.class,
        () -> small().valid(Path.of("v.csv")).validFraction(0.2).build()).getMessage());
  }

  @Test
  void train_oneClassIsRejected() {
    List<LabeledText> one = List.of(new LabeledText("a", "x y"), new LabeledText("a", "z"));
    assertEquals("the training data has 1 class (a); a classifier needs at least 2",
        assertThrows(IllegalArgumentException.class,
            () -> ClassifierTrainer.train(small().build(), one, null, dir.resolve("o"), TrainingControl.silent())).getMessage());
  }
}
