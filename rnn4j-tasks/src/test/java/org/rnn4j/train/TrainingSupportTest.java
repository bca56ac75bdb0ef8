package org.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSupportTest {
  @TempDir
  Path dir;

  @Test
  void requireSpace_moreThanTheDiskHas_failsBeforeTraining() throws IOException {
    IOException e = assertThrows(IOException.class, () -> TrainingSupport.requireSpace(dir, Long.MAX_VALUE / 2));
    assertTrue(e.getMessage().startsWith("not enough disk space in --out " + dir + ": "), e.getMessage());
    assertTrue(e.getMessage().endsWith(" MB"), e.getMessage());
    TrainingSupport.requireSpace(dir, 1024); // and a small run passes
  }

  @Test
  void removeIfEmpty_onlyRemovesWhatThisRunCreatedAndLeftEmpty() throws IOException {
    Path a = dir.resolve("a");
    assertTrue(TrainingSupport.prepareOutput(a, false));
    TrainingSupport.removeIfEmpty(a, true);
    assertFalse(Files.exists(a));

    Path b = dir.resolve("b");
    Files.createDirectories(b);
    assertFalse(TrainingSupport.prepareOutput(b, false), "it existed before");
    TrainingSupport.removeIfEmpty(b, false);
    assertTrue(Files.isDirectory(b));

    Path c = dir.resolve("c");
    TrainingSupport.prepareOutput(c, false);
    Files.writeString(c.resolve("metrics.jsonl"), "{}\n");
    TrainingSupport.removeIfEmpty(c, true);
    assertTrue(Files.exists(c.resolve("metrics.jsonl")), "never deletes files");
  }

  @Test
  void prepareOutput_existingModel_needsOverwrite() throws IOException {
    Files.writeString(dir.resolve(ModelDirectory.CONFIG), "{}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingSupport.prepareOutput(dir, false));
    assertEquals("--out " + dir + " already holds a model; continue it with --resume " + dir
        + ", choose another --out, or pass --overwrite", e.getMessage());
    TrainingSupport.prepareOutput(dir, true);
  }

  @Test
  void configJson_seedAbove2To53_isReadExactly() {
    org.rnn4j.classify.TrainingConfig c = org.rnn4j.classify.TrainingConfig.builder().data(Path.of("train.csv"))
        .seed((1L << 60) + 1).build();
    assertEquals((1L << 60) + 1, c.toBuilder().build().seed());
  }
}
