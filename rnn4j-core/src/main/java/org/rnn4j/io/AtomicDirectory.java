package org.rnn4j.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Replaces a set of files in a directory as one atomic step, so that a crash at any moment leaves
 * either the complete old set or the complete new set.
 *
 * <p>A commit writes the new files into a hidden staging directory, fsyncs them, and renames the
 * staging directory to {@code .commit}: that rename is the commit point. The files are then moved
 * into place one by one and {@code .commit} is removed. {@link #recover} (for the writer) finishes
 * an interrupted commit (roll forward when {@code .commit} exists) and deletes unfinished staging
 * directories (roll back). Readers never modify the directory: {@link #resolve} gives them the
 * committed copy of a file while a commit is being moved into place, and they verify checksums
 * (recorded in one of the files) to catch a commit that happened between two reads.
 */
public final class AtomicDirectory {
  static final String COMMIT = ".commit";
  private static final String STAGING_PREFIX = ".staging-";
  private static final String MANIFEST = "MANIFEST";

  private AtomicDirectory() {}

  /** Atomically replaces (or creates) the named files in dir with the given contents. */
  public static void commit(Path dir, Map<String, byte[]> files) throws IOException {
    Files.createDirectories(dir);
    recover(dir);
    Path staging = Files.createTempDirectory(dir, STAGING_PREFIX);
    StringBuilder manifest = new StringBuilder();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      String name = e.getKey();
      if (name.contains("/") || name.contains("\\") || name.startsWith(".") || name.equals(MANIFEST)) {
        throw new IllegalArgumentException("bad file name for an atomic directory: " + name);
      }
      AtomicFiles.write(staging.resolve(name), e.getValue());
      manifest.append(name).append('\n');
    }
    AtomicFiles.writeString(staging.resolve(MANIFEST), manifest.toString());
    AtomicFiles.syncDirectory(staging);
    Files.move(staging, dir.resolve(COMMIT), StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.syncDirectory(dir);
    recover(dir);
  }

  /** Where a reader finds the current version of a file in dir. */
  public static Path resolve(Path dir, String name) {
    Path committed = dir.resolve(COMMIT).resolve(name);
    if (Files.isRegularFile(dir.resolve(COMMIT).resolve(MANIFEST)) && Files.isRegularFile(committed)) {
      return committed;
    }
    return dir.resolve(name);
  }

  /**
   * Completes or discards an interrupted commit (writer side: the only process writing dir). Safe to call at any time; a no-op on a clean
   * directory. Returns true when it rolled a commit forward.
   */
  public static boolean recover(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    boolean rolled = false;
    Path commit = dir.resolve(COMMIT);
    if (Files.isDirectory(commit)) {
      Path manifest = commit.resolve(MANIFEST);
      if (Files.isRegularFile(manifest)) {
        for (String name : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
          if (name.isEmpty()) {
            continue;
          }
          Path staged = commit.resolve(name);
          if (Files.exists(staged)) { // moved already when a previous recovery was cut short
            Files.move(staged, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
          }
        }
        AtomicFiles.syncDirectory(dir);
        rolled = true;
      }
      deleteTree(commit);
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, STAGING_PREFIX + "*")) {
      List<Path> stale = new ArrayList<>();
      s.forEach(stale::add);
      for (Path p : stale) {
        deleteTree(p);
      }
    }
    return rolled;
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> walk = Files.walk(p)) {
      walk.sorted(Comparator.reverseOrder()).forEach(q -> {
        try {
          Files.deleteIfExists(q);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
