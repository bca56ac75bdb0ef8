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
import org.rnn4j.InvalidSettingException;
import org.rnn4j.persist.ModelDirectory;

class RunDirectoryTest {
  @TempDir
  Path dir;

  @Test
  void requireSpace_moreThanTheDiskHas_failsBeforeTraining() throws IOException {
    IOException e = assertThrows(IOException.class, () -> RunDirectory.requireSpace(dir, Long.MAX_VALUE / 2));
    assertTrue(e.getMessage().startsWith("not enough disk space in the output directory " + dir + ": "), e.getMessage());
    assertTrue(e.getMessage().endsWith(" MB"), e.getMessage());
    RunDirectory.requireSpace(dir, 1024); // and a small run passes
  }

  @Test
  void removeIfEmpty_onlyRemovesWhatThisRunCreatedAndLeftEmpty() throws IOException {
    Path a = dir.resolve("a");
    assertTrue(RunDirectory.prepare(a, false));
    RunDirectory.removeIfEmpty(a, true);
    assertFalse(Files.exists(a));

    Path b = dir.resolve("b");
    Files.createDirectories(b);
    assertFalse(RunDirectory.prepare(b, false), "it existed before");
    RunDirectory.removeIfEmpty(b, false);
    assertTrue(Files.isDirectory(b));

    Path c = dir.resolve("c");
    RunDirectory.prepare(c, false);
    Files.writeString(c.resolve("metrics.jsonl"), "{}\n");
    RunDirectory.removeIfEmpty(c, true);
    assertTrue(Files.exists(c.resolve("metrics.jsonl")), "never deletes files");
  }

  @Test
  void prepareOutput_existingModel_needsOverwrite() throws IOException {
    Files.writeString(dir.resolve(ModelDirectory.CONFIG), "{}");
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> RunDirectory.prepare(dir, false));
    assertEquals("out " + dir + " already holds a model; continue it with resume " + dir
        + ", choose another out, or set overwrite", e.getMessage());
    assertEquals("--out " + dir + " already holds a model; continue it with --resume " + dir
        + ", choose another --out, or set --overwrite", e.message(name -> "--" + name));
    RunDirectory.prepare(dir, true);
  }

  @Test
  void configJson_seedAbove2To53_isReadExactly() {
    org.rnn4j.classify.TrainingConfig c = org.rnn4j.classify.TrainingConfig.builder().data(Path.of("train.csv"))
        .seed((1L << 60) + 1).build();
    assertEquals((1L << 60) + 1, c.toBuilder().build().seed());
  }
}
