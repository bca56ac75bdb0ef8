package org.rnn4j.persist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.io.AtomicDirectory;
import org.rnn4j.io.AtomicFiles;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Json;
import org.rnn4j.io.Safetensors;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.text.Vocabulary;

/**
 * A model directory: {@code config.json}, {@code vocab.txt} and {@code model.safetensors} (weights
 * under PyTorch state_dict names), committed together atomically, plus {@code metrics.jsonl} and
 * {@code training.png}. config.json records the sha256 of the other two; loading refuses a
 * directory whose files do not match, whose format version is newer than this rnn4j's, or whose
 * tensors do not fit the architecture. See docs/model-format.md; config.json's document is
 * {@link ModelConfig}.
 */
public final class ModelDirectory {
  public static final String CONFIG = "config.json";
  public static final String VOCAB = "vocab.txt";
  /** A translation model's target vocabulary ({@link #VOCAB} holds the source side's). */
  public static final String TARGET_VOCAB = "target_vocab.txt";
  public static final String WEIGHTS = "model.safetensors";
  public static final String METRICS = "metrics.jsonl";
  public static final String PLOT = "training.png";

  private ModelDirectory() {}

  /** A loaded, verified directory. */
  public static final class Contents {
    private final Path dir;
    private final ModelConfig config;
    private final Vocabulary vocabulary;
    private final Safetensors.Contents weights;
    private final Vocabulary targetVocabulary;

    Contents(Path dir, ModelConfig config, Vocabulary vocabulary, Safetensors.Contents weights,
             Vocabulary targetVocabulary) {
      this.dir = dir;
      this.config = config;
      this.vocabulary = vocabulary;
      this.weights = weights;
      this.targetVocabulary = targetVocabulary;
    }

    /** A translation model's target vocabulary; null for other tasks. */
    public Vocabulary targetVocabulary() {
      return targetVocabulary;
    }

    public Path dir() {
      return dir;
    }

    public ModelConfig config() {
      return config;
    }

    public Vocabulary vocabulary() {
      return vocabulary;
    }

    public Safetensors.Contents weights() {
      return weights;
    }

    /**
     * Copies the weights into params; FormatException naming the tensor when one is missing, of
     * the wrong dtype or shape, or when the file holds tensors the model does not have.
     */
    public void loadInto(ParameterSet params) throws FormatException {
      Path file = dir.resolve(WEIGHTS);
      for (Parameter p : params.parameters()) {
        Safetensors.Tensor t = weights.get(p.name());
        if (t == null) {
          throw new FormatException(file + ": no tensor " + p.name() + " (the file does not match config.json)");
        }
        if (!t.dtype().isFloatingPoint()) {
          throw new FormatException(file + ": tensor " + p.name() + " has dtype " + t.dtype()
              + ", expected a floating-point type");
        }
        if (!java.util.Arrays.equals(t.intShape(), p.shape())) {
          throw new FormatException(file + ": tensor " + p.name() + " has shape "
              + java.util.Arrays.toString(t.intShape()) + ", the architecture in config.json needs "
              + java.util.Arrays.toString(p.shape()));
        }
        p.set(t.toFloats());
      }
      for (Map.Entry<String, Parameter> a : params.aliases().entrySet()) {
        Safetensors.Tensor t = weights.get(a.getKey());
        if (t != null && !java.util.Arrays.equals(t.toFloats(), a.getValue().values())) {
          throw new FormatException(file + ": tensor " + a.getKey() + " should be the same as "
              + a.getValue().name() + " (the weights are tied) but differs");
        }
      }
      List<String> extra = new ArrayList<>();
      for (String name : weights.tensors().keySet()) {
        if (params.get(name) == null) {
          extra.add(name);
        }
      }
      if (!extra.isEmpty()) {
        throw new FormatException(file + ": unexpected tensors " + extra + " (the file does not match config.json)");
      }
    }
  }

  /** Writes the three model files as one atomic commit; config.json records the others' sha256. */
  public static void commit(Path dir, ModelConfig config, Vocabulary vocab, ParameterSet params)
      throws IOException {
    commit(dir, config, vocab, null, params);
  }

  /** {@link #commit} with a translation model's target vocabulary too (when not null), in {@link #TARGET_VOCAB}. */
  public static void commit(Path dir, ModelConfig config, Vocabulary vocab, Vocabulary targetVocab,
                            ParameterSet params) throws IOException {
    byte[] vocabBytes = vocab.toText().getBytes(StandardCharsets.UTF_8);
    byte[] weights = weightsBytes(params);
    Map<String, Object> c = config.toJson();
    Map<String, Object> sums = new LinkedHashMap<>();
    Map<String, byte[]> files = new LinkedHashMap<>();
    sums.put(VOCAB, "sha256:" + Sha256.of(vocabBytes));
    files.put(VOCAB, vocabBytes);
    if (targetVocab != null) {
      byte[] target = targetVocab.toText().getBytes(StandardCharsets.UTF_8);
      sums.put(TARGET_VOCAB, "sha256:" + Sha256.of(target));
      files.put(TARGET_VOCAB, target);
    }
    sums.put(WEIGHTS, "sha256:" + Sha256.of(weights));
    c.put(ModelConfig.CHECKSUMS, sums);
    files.put(WEIGHTS, weights);
    files.put(CONFIG, Json.pretty(c).getBytes(StandardCharsets.UTF_8));
    AtomicDirectory.commit(dir, files);
  }

  /** model.safetensors bytes: F32 tensors under PyTorch names, metadata {"format": "pt"}. */
  public static byte[] weightsBytes(ParameterSet params) {
    List<Safetensors.Tensor> tensors = new ArrayList<>();
    for (Parameter p : params.parameters()) {
      long[] shape = new long[p.rank()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = p.dim(i);
      }
      tensors.add(Safetensors.Tensor.viewOfFloats(p.name(), p.data(), p.offset(), p.size(), shape));
    }
    // A tied weight under its second name too, as PyTorch's state_dict lists it.
    for (Map.Entry<String, Parameter> a : params.aliases().entrySet()) {
      Parameter p = a.getValue();
      long[] shape = new long[p.rank()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = p.dim(i);
      }
      tensors.add(Safetensors.Tensor.viewOfFloats(a.getKey(), p.data(), p.offset(), p.size(), shape));
    }
    return Safetensors.toBytes(tensors, Map.of("format", "pt"));
  }

  /**
   * Reads and verifies a model directory of the given task (any task when null).
   *
   * @throws NoSuchFileException when dir or one of its files is missing
   * @throws FormatException     when a file is corrupt, from another version, or inconsistent
   */
  public static Contents load(Path dir, String task) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "no model directory");
    }
    try {
      return loadOnce(dir, task);
    } catch (ChecksumMismatch e) {
      // A training run may have committed between our reads; the second read sees one version.
      try {
        return loadOnce(dir, task);
      } catch (ChecksumMismatch again) {
        throw new FormatException(again.getMessage());
      }
    }
  }

  private static final class ChecksumMismatch extends IOException {
    private static final long serialVersionUID = 1L;

    ChecksumMismatch(String m) {
      super(m);
    }
  }

  private static Contents loadOnce(Path dir, String task) throws IOException {
    Path configFile = AtomicDirectory.resolve(dir, CONFIG);
    if (!Files.isRegularFile(configFile)) {
      throw new NoSuchFileException(dir.resolve(CONFIG).toString(), null,
          "not an rnn4j model directory (no " + CONFIG + ")");
    }
    Map<String, Object> json;
    try {
      json = Json.parseObject(Files.readString(configFile, StandardCharsets.UTF_8));
    } catch (FormatException | java.nio.charset.MalformedInputException e) {
      throw new FormatException(dir.resolve(CONFIG) + ": corrupt: " + e.getMessage());
    }
    ModelConfig config = ModelConfig.fromJson(json, dir.resolve(CONFIG), task);
    Object sums = json.get(ModelConfig.CHECKSUMS);
    Map<?, ?> checksums = sums instanceof Map ? (Map<?, ?>) sums : Map.of();
    byte[] vocabBytes = readVerified(dir, VOCAB, checksums);
    byte[] weightBytes = readVerified(dir, WEIGHTS, checksums);
    Vocabulary vocab = Vocabulary.fromText(new String(vocabBytes, StandardCharsets.UTF_8), dir.resolve(VOCAB).toString());
    Safetensors.Contents weights;
    try {
      weights = Safetensors.read(weightBytes);
    } catch (FormatException e) {
      throw new FormatException(dir.resolve(WEIGHTS) + ": " + e.getMessage());
    }
    Vocabulary target = null;
    if (config.translation() != null) {
      byte[] targetBytes = readVerified(dir, TARGET_VOCAB, checksums);
      target = Vocabulary.fromText(new String(targetBytes, StandardCharsets.UTF_8), dir.resolve(TARGET_VOCAB).toString());
    }
    return new Contents(dir, config, vocab, weights, target);
  }

  private static byte[] readVerified(Path dir, String name, Map<?, ?> checksums) throws IOException {
    Path f = AtomicDirectory.resolve(dir, name);
    if (!Files.isRegularFile(f)) {
      throw new NoSuchFileException(dir.resolve(name).toString(), null, "missing from the model directory");
    }
    byte[] bytes = Files.readAllBytes(f);
    Object expected = checksums.get(name);
    if (expected != null && !("sha256:" + Sha256.of(bytes)).equals(expected)) {
      throw new ChecksumMismatch(dir.resolve(name) + ": does not match the sha256 recorded in "
          + CONFIG + " (the file is corrupt or belongs to another model)");
    }
    return bytes;
  }

  /** Writes metrics.jsonl and training.png atomically (each on its own). */
  public static void writeHistory(Path dir, List<EpochMetrics> history, byte[] plotPng) throws IOException {
    StringBuilder b = new StringBuilder();
    for (EpochMetrics m : history) {
      b.append(Json.write(m.values())).append('\n');
    }
    AtomicFiles.writeString(dir.resolve(METRICS), b.toString());
    if (plotPng != null) {
      AtomicFiles.write(dir.resolve(PLOT), plotPng);
    }
  }
}
