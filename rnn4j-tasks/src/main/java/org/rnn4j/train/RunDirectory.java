package org.rnn4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.persist.Checkpoint;
import org.rnn4j.persist.ModelDirectory;

/**
 * The directory a run writes: refused when it holds another run, checked for room before the run
 * starts, and removed again when a run fails before writing anything into a directory it created.
 */
final class RunDirectory {
  private RunDirectory() {}

  /**
   * Refuses an unwritable directory or one holding another run, before any work. Returns true when
   * it created the directory, so that a run failing before its first write can remove it again
   * ({@link #removeIfEmpty}).
   */
  static boolean prepare(Path out, boolean overwrite) throws IOException {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new InvalidSettingException("{out} " + out + " exists and is not a directory");
    }
    if (Files.isDirectory(out) && !overwrite
        && (Files.exists(out.resolve(ModelDirectory.CONFIG)) || Files.exists(out.resolve(Checkpoint.FILE)))) {
      throw new InvalidSettingException("{out} " + out + " already holds a model; continue it with {resume} "
          + out + ", choose another {out}, or set {overwrite}");
    }
    boolean created = !Files.exists(out);
    try {
      Files.createDirectories(out);
      Path probe = Files.createTempFile(out, ".write-test", ".tmp");
      Files.write(probe, new byte[4096]);
      Files.delete(probe);
    } catch (IOException e) {
      throw new IOException("cannot write to the output directory " + out + ": " + e.getMessage(), e);
    }
    return created;
  }

  /** Deletes a directory this run created when nothing was written to it (no partial model left behind). */
  static void removeIfEmpty(Path out, boolean created) {
    if (!created) {
      return;
    }
    try (Stream<Path> s = Files.list(out)) {
      if (s.findAny().isEmpty()) {
        Files.delete(out);
      }
    } catch (IOException ignored) {
      // best effort: the original error matters more
    }
  }

  /**
   * Fails before training when the file system of out has less usable space than the run will
   * write (model, checkpoint and its copies), instead of failing in the middle of a commit.
   */
  static void requireSpace(Path out, long bytes) throws IOException {
    long free = Files.getFileStore(out).getUsableSpace();
    if (free < bytes) {
      throw new IOException(String.format(Locale.ROOT,
          "not enough disk space in the output directory %s: %.1f MB free, the run writes about %.1f MB", out, free / 1e6,
          bytes / 1e6));
    }
  }
}
