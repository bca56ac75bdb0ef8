package org.rnn4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.rnn4j.runtime.BoxedVectorWatch;
import org.rnn4j.math.Parallel;
import org.rnn4j.random.Rng;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.optim.Adam;
import org.rnn4j.optim.Optimizer;
import org.rnn4j.optim.Sgd;

/** What every trainer (classifier, language model) does the same way. */
public final class TrainingSupport {
  private TrainingSupport() {}

  /**
   * Refuses an unwritable directory or one holding another run, before any work. Returns true when
   * it created the directory, so that a run failing before its first write can remove it again
   * ({@link #removeIfEmpty}).
   */
  public static boolean prepareOutput(Path out, boolean overwrite) throws IOException {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("--out " + out + " exists and is not a directory");
    }
    if (Files.isDirectory(out) && !overwrite
        && (Files.exists(out.resolve(ModelDirectory.CONFIG)) || Files.exists(out.resolve(Checkpoint.FILE)))) {
      throw new IllegalArgumentException("--out " + out + " already holds a model; continue it with --resume "
          + out + ", choose another --out, or pass --overwrite");
    }
    boolean created = !Files.exists(out);
    try {
      Files.createDirectories(out);
      Path probe = Files.createTempFile(out, ".write-test", ".tmp");
      Files.write(probe, new byte[4096]);
      Files.delete(probe);
    } catch (IOException e) {
      throw new IOException("cannot write to --out " + out + ": " + e.getMessage(), e);
    }
    return created;
  }

  /** Deletes a directory this run created when nothing was written to it (no partial model left behind). */
  public static void removeIfEmpty(Path out, boolean created) {
    if (!created) {
      return;
    }
    try (java.util.stream.Stream<Path> s = Files.list(out)) {
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
  public static void requireSpace(Path out, long bytes) throws IOException {
    long free = Files.getFileStore(out).getUsableSpace();
    if (free < bytes) {
      throw new IOException(String.format(java.util.Locale.ROOT,
          "not enough disk space in --out %s: %.1f MB free, the run writes about %.1f MB", out, free / 1e6,
          bytes / 1e6));
    }
  }

  /** Compiles the kernels on a spare core while the data loads (see {@link org.rnn4j.runtime.WarmUp}). */
  public static Thread startWarmUp(Runnable task) {
    return org.rnn4j.runtime.WarmUp.start(task, 3000);
  }

  /** Tells the user, once, when the steps so far allocate like boxed vectors ({@link BoxedVectorWatch}). */
  public static void watch(BoxedVectorWatch jit, TrainingListener listener) {
    long bytesPerStep = jit.afterStep();
    if (bytesPerStep > 0) {
      listener.message(BoxedVectorWatch.message(bytesPerStep));
    }
  }

  public static void stopWarmUp(Thread t) {
    t.interrupt();
    try {
      t.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** adam, adamw (decoupled decay, 0.01 unless given) or sgd, with torch.optim's defaults. */
  public static Optimizer optimizer(String name, ParameterSet params, double weightDecay, double momentum) {
    switch (name) {
      case "adamw":
        return new Adam(params, 0.9, 0.999, 1e-8, weightDecay == 0 ? 0.01 : weightDecay, true);
      case "sgd":
        return new Sgd(params, momentum, 0, false, weightDecay);
      case "adam":
        return new Adam(params, 0.9, 0.999, 1e-8, weightDecay, false);
      default:
        throw new IllegalArgumentException("--optimizer must be adam, adamw or sgd, got '" + name + "'");
    }
  }

  /** Name of the first parameter whose values (or gradient) hold NaN or infinity, or null. */
  public static String nonFinite(ParameterSet params, boolean gradient) {
    for (Parameter p : params.parameters()) {
      float[] a = gradient ? p.grad() : p.data();
      if (org.rnn4j.math.Ops.firstNonFinite(a, p.offset(), p.size()) >= 0) {
        return p.name();
      }
    }
    return null;
  }

  /** Runs body with the worker pool sized as asked (0 = every core), then restores it. */
  public static <T> T withThreads(int threads, IoSupplier<T> body) throws IOException {
    int before = Parallel.threads();
    Parallel.setThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
    try {
      return body.get();
    } finally {
      Parallel.setThreads(before);
    }
  }

  /** A supplier that may throw IOException. */
  @FunctionalInterface
  public interface IoSupplier<T> {
    T get() throws IOException;
  }

  /** A number from a checkpoint's state document. */
  public static Number num(Map<String, Object> s, String k) {
    Object v = s.get(k);
    if (!(v instanceof Number)) {
      throw new IllegalArgumentException("checkpoint state has no number '" + k + "'");
    }
    return (Number) v;
  }

  /**
   * A number of a config or checkpoint map, or {@code orElse} where it is absent or null (older
   * files; JSON has no infinities).
   */
  public static double numOr(Map<String, Object> m, String k, double orElse) {
    Object v = m.get(k);
    return v instanceof Number ? ((Number) v).doubleValue() : orElse;
  }

  /** An integer of a config map read exactly (a seed above 2^53 survives), or {@code orElse}. */
  public static long longOr(Map<String, Object> m, String k, long orElse) {
    Object v = m.get(k);
    return v instanceof Number ? ((Number) v).longValue() : orElse;
  }

  /** A string of a config map, or {@code orElse} where it is absent. */
  public static String strOr(Map<String, Object> m, String k, String orElse) {
    Object v = m.get(k);
    return v instanceof String ? (String) v : orElse;
  }

  /** A boolean of a config map, or {@code orElse} where it is absent. */
  public static boolean boolOr(Map<String, Object> m, String k, boolean orElse) {
    Object v = m.get(k);
    return v instanceof Boolean ? (Boolean) v : orElse;
  }

  /** The metrics of epoch n in the history (the last entry for it), or null. */
  public static EpochMetrics epoch(List<EpochMetrics> history, int n) {
    EpochMetrics found = null;
    for (EpochMetrics m : history) {
      if (m.epoch() == n) {
        found = m;
      }
    }
    return found;
  }

  /** A generator restored from the JSON list of its {@link Rng#state()}. */
  public static Rng rngFrom(Object state) {
    List<?> st = (List<?>) state;
    long[] rs = new long[st.size()];
    for (int i = 0; i < rs.length; i++) {
      rs[i] = ((Number) st.get(i)).longValue();
    }
    return Rng.fromState(rs);
  }

  /** The epochs so far as a JSON list, for a checkpoint's state. */
  public static List<Object> historyJson(List<EpochMetrics> history) {
    List<Object> h = new java.util.ArrayList<>();
    for (EpochMetrics m : history) {
      h.add(m.values());
    }
    return h;
  }

  /** Appends the epochs of a checkpoint's "history" list to history. */
  @SuppressWarnings("unchecked")
  public static void restoreHistory(Object json, List<EpochMetrics> history) {
    for (Object o : (List<Object>) json) {
      history.add(new EpochMetrics((Map<String, Object>) o));
    }
  }
}
