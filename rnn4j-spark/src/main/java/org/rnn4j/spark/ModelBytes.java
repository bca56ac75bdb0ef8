package org.rnn4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.classify.Classifier;
import org.rnn4j.io.AtomicDirectory;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Json;
import org.rnn4j.lm.LanguageModel;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.persist.Sha256;

/**
 * A model directory as bytes (config.json, vocab.txt, model.safetensors), the form in which a model
 * travels to the executors in a broadcast: executors need no shared file system, and the sha256
 * names the model in each executor's cache.
 *
 * @param name  the directory's name, for messages
 * @param task  the model's task as config.json names it ("classification", "language_model")
 * @param files file name to contents
 * @param sha256 of the three files' own sha256s, in that order
 */
record ModelBytes(String name, String task, Map<String, byte[]> files, String sha256) implements Serializable {
  private static final String[] FILES = {ModelDirectory.CONFIG, ModelDirectory.VOCAB, ModelDirectory.WEIGHTS};

  /**
   * Reads a model directory on the driver, after loading it once, so that a corrupt or mismatched
   * model fails here with the usual message instead of in every task.
   */
  static ModelBytes read(Path dir) throws IOException {
    // Loading verifies the files; config.json's task, read without the weights, says which load.
    String task = taskOf(dir);
    if (LanguageModel.TASK.equals(task)) {
      LanguageModel.load(dir);
    } else if (task == null || task.equals(Classifier.TASK)) {
      task = Classifier.load(dir).config().task(); // unreadable config.json: the load says what is wrong
    } else {
      throw new FormatException(dir.resolve(ModelDirectory.CONFIG) + ": task '" + task
          + "' cannot be scored on Spark (" + Classifier.TASK + " or " + LanguageModel.TASK + ")");
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    StringBuilder sums = new StringBuilder();
    for (String f : FILES) {
      byte[] b = Files.readAllBytes(AtomicDirectory.resolve(dir, f));
      files.put(f, b);
      sums.append(Sha256.of(b));
    }
    Path name = dir.toAbsolutePath().normalize().getFileName();
    return new ModelBytes(name == null ? "model" : name.toString(), task, files,
        Sha256.of(sums.toString().getBytes(StandardCharsets.US_ASCII)));
  }

  /** config.json's task, or null when it cannot be read (the load then reports why). */
  private static String taskOf(Path dir) {
    try {
      Object task = Json.parseObject(Files.readString(AtomicDirectory.resolve(dir, ModelDirectory.CONFIG),
          StandardCharsets.UTF_8)).get("task");
      return task instanceof String t ? t : null;
    } catch (IOException e) {
      return null;
    }
  }

  boolean isLanguageModel() {
    return task.equals(LanguageModel.TASK);
  }

  /** Writes the files into a new directory under {@code parent}. */
  Path writeTo(Path parent) throws IOException {
    Path dir = Files.createTempDirectory(parent, "rnn4j-model-" + sha256.substring(0, 12) + "-");
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      Files.write(dir.resolve(f.getKey()), f.getValue());
    }
    return dir;
  }

  /** Total bytes of the model's files, for the size of the broadcast. */
  long size() {
    return files.values().stream().mapToLong(b -> b.length).sum();
  }

  @Override
  public String toString() {
    return "ModelBytes[" + name + ", " + task + ", " + size() + " bytes, sha256 " + sha256 + "]";
  }
}
