package org.rnn4j.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.lm.LanguageModel;
import org.rnn4j.lm.LanguageModelEvaluation;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.persist.Sha256;
import org.rnn4j.train.TrainingControl;
import org.rnn4j.train.TrainingResult;

/**
 * Files written by the release before the shared training loop (format_version 1, commit 6af55d4)
 * still load, predict and resume to the same bits. The fixtures under src/test/resources/format-v1
 * were written by {@link FormatV1FixtureWriter} and by {@code rnn4j train-lm} at that commit; the
 * expected values below were measured there and are exact (same kernels, same order of operations).
 */
class FormatV1Test {
  /** sha256 of model.safetensors after FormatV1FixtureWriter's uninterrupted 3-epoch run. */
  static final String CLASSIFIER_FINAL_SHA256 = "a8365ec2950acedffa53d5fee9e008988ee5a040ed571a0edccc96bef244b11d";

  @TempDir
  Path dir;

  static Path fixture(String name) throws Exception {
    return Path.of(FormatV1Test.class.getResource("/format-v1/" + name).toURI());
  }

  static Path copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path f : (Iterable<Path>) s::iterator) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }

  @Test
  void load_classifierDirectoryOfVersion1() throws Exception {
    Classifier c = Classifier.load(fixture("classifier"));
    Evaluation e = c.evaluate(FormatV1FixtureWriter.VALID);
    // epoch 1's validation figures, as the old release wrote them into metrics.jsonl and config.json
    assertEquals(0.38, e.accuracy());
    assertEquals(1.3186270761244703, e.loss(), 1e-12);
    assertEquals(0.30682615629984056, e.macroF1(), 1e-12);
  }

  @Test
  void resume_checkpointOfVersion1EndsWithTheOldReleasesBits() throws Exception {
    Path run = copy(fixture("classifier"), dir.resolve("run"));
    TrainingResult r = ClassifierTrainer.resume(run, FormatV1FixtureWriter.TRAIN, FormatV1FixtureWriter.VALID,
        TrainingControl.silent());
    assertFalse(r.interrupted());
    assertEquals(3, r.history().size());
    assertEquals(CLASSIFIER_FINAL_SHA256, Sha256.of(run.resolve(ModelDirectory.WEIGHTS)));
    // the first epoch's row came from the checkpoint, unchanged
    assertEquals(1.3536384620478066, r.history().get(0).get("train_loss"));
  }

  @Test
  void load_languageModelDirectoryOfVersion1() throws Exception {
    Path lmDir = fixture("lm");
    LanguageModel lm = LanguageModel.load(lmDir);
    // `rnn4j generate --model lm --prime "The " --length 60 --seed 3` at the old release printed
    // the prime, then this continuation
    assertEquals("onTke. ou tnhee  Mshe.A twls h si uted d laea.e ir onTse ree",
        lm.generate("The ", 60, lm.sampler(1.0, 0, 1.0, 3), s -> { }));
    LanguageModelEvaluation e = lm.evaluate(Files.readString(lmDir.resolve("valid.txt")));
    assertEquals(2.3256929685752117, e.loss(), 1e-12);
    assertEquals(1112, e.chars());
  }
}
