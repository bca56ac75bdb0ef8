package org.rnn4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.rnn4j.classify.Classifier;
import org.rnn4j.lm.LanguageModel;
import org.rnn4j.math.Parallel;

/**
 * The models an executor JVM has loaded, one per sha256, shared by all of its tasks: a model is
 * read from its broadcast bytes once per JVM, not once per task or partition. Classifier and
 * LanguageModel are thread-safe, so concurrent tasks share one instance.
 */
final class ExecutorModels {
  private static final Map<String, Object> LOADED = new ConcurrentHashMap<>();
  private static volatile boolean oneThreadPerTask;

  private ExecutorModels() {}

  static Classifier classifier(ModelBytes m) {
    return (Classifier) LOADED.computeIfAbsent(m.sha256(), k -> load(m));
  }

  static LanguageModel languageModel(ModelBytes m) {
    return (LanguageModel) LOADED.computeIfAbsent(m.sha256(), k -> load(m));
  }

  /**
   * Spark runs one task per core it was given, so rnn4j's kernels run on the task's own thread:
   * a pool of its own in each task would oversubscribe the cores Spark already fills.
   */
  static void useOneThreadPerTask() {
    if (!oneThreadPerTask) {
      synchronized (ExecutorModels.class) {
        if (!oneThreadPerTask) {
          Parallel.setThreads(1);
          oneThreadPerTask = true;
        }
      }
    }
  }

  private static Object load(ModelBytes m) {
    Path dir = null;
    try {
      dir = m.writeTo(Path.of(System.getProperty("java.io.tmpdir")));
      return m.isLanguageModel() ? LanguageModel.load(dir) : Classifier.load(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("loading " + m + " on an executor: " + e.getMessage(), e);
    } finally {
      if (dir != null) {
        deleteQuietly(dir);
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temporary directory is harmless
    }
  }
}
