package org.rnn4j.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.AtomicDirectory;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Json;
import org.rnn4j.io.Safetensors;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.train.TrainingControl;

/** A damaged model directory is refused with a clear message; a half-valid one never loads. */
class ModelDirectoryTest {
  @TempDir
  static Path shared;
  static Path good;

  @TempDir
  Path dir;

  @BeforeAll
  static void trainOnce() throws Exception {
    good = shared.resolve("good");
    ClassifierTrainer.train(ClassifierTrainerTest.small().epochs(1).build(), ClassifierTrainerTest.TRAIN,
        ClassifierTrainerTest.VALID, good, TrainingControl.silent());
  }

  private Path copy() throws Exception {
    Path d = dir.resolve("copy");
    Files.createDirectories(d);
    for (String f : new String[] {ModelDirectory.CONFIG, ModelDirectory.VOCAB, ModelDirectory.WEIGHTS}) {
      Files.copy(good.resolve(f), d.resolve(f));
    }
    return d;
  }

  private static String failure(Path d) {
    return assertThrows(FormatException.class, () -> Classifier.load(d)).getMessage();
  }

  @Test
  void load_bitFlippedWeights() throws Exception {
    Path d = copy();
    byte[] w = Files.readAllBytes(d.resolve(ModelDirectory.WEIGHTS));
    w[w.length - 100] ^= 0x10;
    Files.write(d.resolve(ModelDirectory.WEIGHTS), w);
    assertEquals(d.resolve(ModelDirectory.WEIGHTS) + ": does not match the sha256 recorded in config.json "
        + "(the file is corrupt or belongs to another model)", failure(d));
  }

  @Test
  void load_truncatedWeights() throws Exception {
    Path d = copy();
    byte[] w = Files.readAllBytes(d.resolve(ModelDirectory.WEIGHTS));
    Files.write(d.resolve(ModelDirectory.WEIGHTS), java.util.Arrays.copyOf(w, w.length / 2));
    assertTrue(failure(d).contains("does not match the sha256"));
  }

  @Test
  void load_truncatedWeightsWithoutChecksums() throws Exception {
    Path d = copy();
    Map<String, Object> cfg = Json.parseObject(Files.readString(d.resolve(ModelDirectory.CONFIG)));
    cfg.remove("checksums");
    Files.writeString(d.resolve(ModelDirectory.CONFIG), Json.pretty(cfg));
    byte[] w = Files.readAllBytes(d.resolve(ModelDirectory.WEIGHTS));
    Files.write(d.resolve(ModelDirectory.WEIGHTS), java.util.Arrays.copyOf(w, w.length / 2));
    assertTrue(failure(d).contains("(file truncated?)"), failure(d));
  }

  @Test
  void load_newerFormatVersion() throws Exception {
    Path d = copy();
    String c = Files.readString(d.resolve(ModelDirectory.CONFIG)).replace("\"format_version\": 1", "\"format_version\": 2");
    Files.writeString(d.resolve(ModelDirectory.CONFIG), c);
    assertEquals(d.resolve(ModelDirectory.CONFIG) + ": format version 2 is newer than this rnn4j supports (1); "
        + "upgrade rnn4j to load it", failure(d));
  }

  @Test
  void load_corruptConfig() throws Exception {
    Path d = copy();
    Files.writeString(d.resolve(ModelDirectory.CONFIG), "{\"format\": \"rnn4j-model\",");
    assertTrue(failure(d).startsWith(d.resolve(ModelDirectory.CONFIG) + ": corrupt: "));
  }

  @Test
  void load_vocabularyNotMatchingEmbedding() throws Exception {
    Path d = copy();
    Map<String, Object> cfg = Json.parseObject(Files.readString(d.resolve(ModelDirectory.CONFIG)));
    cfg.remove("checksums");
    Files.writeString(d.resolve(ModelDirectory.CONFIG), Json.pretty(cfg));
    Files.writeString(d.resolve(ModelDirectory.VOCAB), Files.readString(d.resolve(ModelDirectory.VOCAB)) + "extra\n");
    assertTrue(failure(d).matches(".*vocab.txt: has (\\d+) tokens but the embedding has \\d+ rows \\(config.json model.vocabulary\\)"), failure(d));
  }

  @Test
  void load_tensorWithWrongShape() throws Exception {
    Path d = copy();
    Map<String, Object> cfg = Json.parseObject(Files.readString(d.resolve(ModelDirectory.CONFIG)));
    cfg.remove("checksums");
    ((Map<String, Object>) cfg.get("model")).put("hidden", 25);
    Files.writeString(d.resolve(ModelDirectory.CONFIG), Json.pretty(cfg));
    assertTrue(failure(d).contains("tensor rnn.weight_ih_l0 has shape [96, 16], the architecture in config.json needs [100, 16]"),
        failure(d));
  }

  @Test
  void load_tensorWithWrongDtype() throws Exception {
    Path d = copy();
    Map<String, Object> cfg = Json.parseObject(Files.readString(d.resolve(ModelDirectory.CONFIG)));
    cfg.remove("checksums");
    Files.writeString(d.resolve(ModelDirectory.CONFIG), Json.pretty(cfg));
    Safetensors.Contents w = Safetensors.read(d.resolve(ModelDirectory.WEIGHTS));
    java.util.List<Safetensors.Tensor> ts = new java.util.ArrayList<>();
    for (Safetensors.Tensor t : w.tensors().values()) {
      if (t.name().equals("fc.bias")) {
        ts.add(Safetensors.Tensor.ofLongs("fc.bias", new long[(int) t.elements()], t.shape()));
      } else {
        ts.add(Safetensors.Tensor.ofFloats(t.name(), t.toFloats(), t.shape()));
      }
    }
    Safetensors.write(d.resolve(ModelDirectory.WEIGHTS), ts, Map.of());
    assertTrue(failure(d).endsWith("tensor fc.bias has dtype I64, expected a floating-point type"), failure(d));
  }

  @Test
  void load_missingWeights() throws Exception {
    Path d = copy();
    Files.delete(d.resolve(ModelDirectory.WEIGHTS));
    assertEquals(d.resolve(ModelDirectory.WEIGHTS) + ": missing from the model directory",
        assertThrows(NoSuchFileException.class, () -> Classifier.load(d)).getMessage());
  }

  @Test
  void load_notAModelDirectory() throws Exception {
    assertEquals(dir.resolve(ModelDirectory.CONFIG) + ": not an rnn4j model directory (no config.json)",
        assertThrows(NoSuchFileException.class, () -> Classifier.load(dir)).getMessage());
  }

  @Test
  void commit_interruptedBeforeTheCommitPointKeepsTheOldVersion() throws Exception {
    Path d = copy();
    byte[] old = Files.readAllBytes(d.resolve(ModelDirectory.WEIGHTS));
    Path staging = Files.createDirectory(d.resolve(".staging-123"));
    Files.write(staging.resolve(ModelDirectory.WEIGHTS), new byte[] {1, 2, 3});
    assertEquals(4, Classifier.load(d).classes().size());
    AtomicDirectory.recover(d);
    assertTrue(Files.notExists(staging));
    assertTrue(java.util.Arrays.equals(old, Files.readAllBytes(d.resolve(ModelDirectory.WEIGHTS))));
  }

  @Test
  void commit_interruptedAfterTheCommitPointReadsTheNewVersion() throws Exception {
    Path d = copy();
    Path other = dir.resolve("other");
    ClassifierTrainer.train(ClassifierTrainerTest.small().epochs(1).seed(99).build(), ClassifierTrainerTest.TRAIN,
        ClassifierTrainerTest.VALID, other, TrainingControl.silent());
    // Simulate a crash after .commit was created and one of three files was moved into place.
    Path commit = Files.createDirectory(d.resolve(".commit"));
    for (String f : new String[] {ModelDirectory.CONFIG, ModelDirectory.VOCAB, ModelDirectory.WEIGHTS}) {
      Files.copy(other.resolve(f), commit.resolve(f));
    }
    Files.writeString(commit.resolve("MANIFEST"), "vocab.txt\nmodel.safetensors\nconfig.json\n", StandardCharsets.UTF_8);
    Files.move(commit.resolve(ModelDirectory.VOCAB), d.resolve(ModelDirectory.VOCAB),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Classifier readThrough = Classifier.load(d);
    assertEquals(Classifier.load(other).predict("filler3 betaword1").probabilities()[1],
        readThrough.predict("filler3 betaword1").probabilities()[1]);
    assertTrue(AtomicDirectory.recover(d));
    assertTrue(Files.notExists(d.resolve(".commit")));
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(other.resolve(ModelDirectory.WEIGHTS)),
        Files.readAllBytes(d.resolve(ModelDirectory.WEIGHTS))));
  }

  @Test
  void checkpoint_corruptIsRefused() throws Exception {
    Path d = dir.resolve("ck");
    Files.createDirectories(d);
    byte[] ck = Files.readAllBytes(good.resolve(org.rnn4j.persist.Checkpoint.FILE));
    Files.write(d.resolve(org.rnn4j.persist.Checkpoint.FILE), java.util.Arrays.copyOf(ck, 100));
    Exception e = assertThrows(FormatException.class,
        () -> ClassifierTrainer.resume(d, ClassifierTrainerTest.TRAIN, ClassifierTrainerTest.VALID, TrainingControl.silent()));
    assertTrue(e.getMessage().startsWith(d.resolve(org.rnn4j.persist.Checkpoint.FILE) + ": not a safetensors file or truncated"),
        e.getMessage());
  }

  @Test
  void resume_withoutCheckpoint() {
    Exception e = assertThrows(NoSuchFileException.class,
        () -> ClassifierTrainer.resume(dir, List.of(), List.of(), TrainingControl.silent()));
    assertTrue(e.getMessage().contains("no checkpoint to resume from"), e.getMessage());
  }
}
