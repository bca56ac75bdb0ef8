package org.rnn4j.classify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rnn4j.io.FormatException;
import org.rnn4j.network.ClassifierNet;
import org.rnn4j.network.NetConfig;
import org.rnn4j.network.WeightPrecision;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.Pooling;
import org.rnn4j.persist.ModelConfig;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.text.LabeledText;
import org.rnn4j.text.Tokenizer;
import org.rnn4j.text.Vocabulary;

/**
 * A trained text classifier, loaded from a model directory:
 *
 * <pre>{@code
 * Classifier c = Classifier.load(Path.of("model"));
 * Prediction p = c.predict("Stocks rallied after the Fed held rates");
 * System.out.println(p.label() + " " + p.probability(p.label()));
 * }</pre>
 *
 * {@link #predict} and {@link #evaluate} are safe to call from many threads at once: each thread
 * gets its own activation workspace and the weights are only read.
 */
public final class Classifier {
  /** The task a classifier's config.json names. */
  public static final String TASK = ClassificationTask.NAME;

  private final Path directory;
  private final ModelConfig config;
  private final ClassifierNet net;
  private final Vocabulary vocabulary;
  private final Tokenizer tokenizer;
  private final List<String> classes;
  private final int maxLength;
  private final int pad;
  private final ThreadLocal<ClassifierNet.Workspace> workspace;

  Classifier(Path directory, ModelConfig config, ClassifierNet net, Vocabulary vocabulary,
             Tokenizer tokenizer, List<String> classes, int maxLength) {
    this.directory = directory;
    this.config = config;
    this.net = net;
    this.vocabulary = vocabulary;
    this.tokenizer = tokenizer;
    this.classes = Collections.unmodifiableList(new ArrayList<>(classes));
    this.maxLength = maxLength;
    this.pad = Math.max(0, vocabulary.paddingId());
    this.workspace = ThreadLocal.withInitial(net::newWorkspace);
  }

  /**
   * Loads and verifies a model directory (see docs/model-format.md).
   *
   * @throws java.nio.file.NoSuchFileException when the directory or one of its files is missing
   * @throws FormatException when a file is corrupt, of a newer format, or does not fit the others
   */
  public static Classifier load(Path dir) throws IOException {
    return load(dir, WeightPrecision.FLOAT32);
  }

  /**
   * Loads and verifies a model directory, holding its recurrent weights in {@code precision} for
   * inference ({@link WeightPrecision#BF16}: faster single texts, outputs moved by the rounding).
   *
   * @throws java.nio.file.NoSuchFileException when the directory or one of its files is missing
   * @throws FormatException when a file is corrupt, of a newer format, or does not fit the others
   */
  public static Classifier load(Path dir, WeightPrecision precision) throws IOException {
    Objects.requireNonNull(precision, "precision");
    ModelDirectory.Contents c = ModelDirectory.load(dir, ClassificationTask.NAME);
    ModelConfig cfg = c.config();
    Path configFile = dir.resolve(ModelDirectory.CONFIG);
    NetConfig arch = cfg.network();
    if (cfg.classes() == null) {
      throw new FormatException(configFile + ": invalid: \"classes\" is not a list");
    }
    Tokenizer tokenizer;
    try {
      tokenizer = Tokenizer.named(cfg.tokenizer());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new FormatException(configFile + ": invalid: " + e.getMessage());
    }
    if (cfg.classes().size() != arch.classes()) {
      throw new FormatException(configFile + ": lists " + cfg.classes().size() + " classes but model.classes is "
          + arch.classes());
    }
    if (c.vocabulary().size() != arch.vocabulary()) {
      throw new FormatException(dir.resolve(ModelDirectory.VOCAB) + ": has " + c.vocabulary().size()
          + " tokens but the embedding has " + arch.vocabulary() + " rows (config.json model.vocabulary)");
    }
    ClassifierNet net = new ClassifierNet(arch);
    c.loadInto(net.parameters());
    if (precision == WeightPrecision.BF16) {
      net.rnn().roundRecurrentWeightsToBf16();
    }
    return new Classifier(dir, cfg, net, c.vocabulary(), tokenizer, cfg.classes(),
        cfg.maxLength() == null ? 0 : cfg.maxLength());
  }

  public Path directory() {
    return directory;
  }

  /** Class names, in the order of {@link Prediction#probabilities()}. */
  public List<String> classes() {
    return classes;
  }

  public NetConfig architecture() {
    return net.config();
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  public String tokenizer() {
    return tokenizer.name();
  }

  /** The parsed config.json. */
  public ModelConfig config() {
    return config;
  }

  /** Parameter name → shape, in state_dict order. */
  public Map<String, int[]> parameterShapes() {
    return net.parameters().shapes();
  }

  public long parameterCount() {
    return net.parameters().size();
  }

  /** Token ids of a text as the model sees them (truncated to max_length). */
  public int[] encode(String text) {
    return encode(tokenizer.tokenize(text));
  }

  /** Ids of tokens as the model reads them: unknown ones as {@code <unk>}, truncated to max_length. */
  private int[] encode(List<String> tokens) {
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("the text is empty (it has no tokens)");
    }
    int[] ids = vocabulary.encode(tokens);
    return maxLength > 0 && ids.length > maxLength ? java.util.Arrays.copyOf(ids, maxLength) : ids;
  }

  /**
   * Predicts one text.
   *
   * @throws IllegalArgumentException when the text has no tokens
   */
  public Prediction predict(String text) {
    return predict(List.of(text)).get(0);
  }

  /** Predicts many texts in batches; the i-th prediction belongs to the i-th text. */
  public List<Prediction> predict(List<String> texts) {
    int[][] ids = new int[texts.size()][];
    for (int i = 0; i < ids.length; i++) {
      try {
        ids[i] = encode(texts.get(i));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("text " + (i + 1) + ": " + e.getMessage());
      }
    }
    int k = classes.size();
    float[] probs = Inference.probabilities(net, workspace.get(), ids, pad, 0);
    List<Prediction> out = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      out.add(new Prediction(classes, java.util.Arrays.copyOfRange(probs, i * k, (i + 1) * k)));
    }
    return out;
  }

  /**
   * Explains the prediction for one text: which tokens the model did not know, how much each token
   * matters for the predicted class (by occlusion, and by gradient × input from the model's own
   * backward pass), and every layer's hidden states and gate activations at each step.
   *
   * @throws IllegalArgumentException when the text has no tokens
   */
  public Explanation explain(String text) {
    List<String> tokens = tokenizer.tokenize(text);
    int[] ids = encode(tokens);
    tokens = new ArrayList<>(tokens.subList(0, ids.length));
    boolean[] unknown = new boolean[ids.length];
    for (int i = 0; i < ids.length; i++) {
      unknown[i] = ids[i] == vocabulary.unknownId();
    }
    // One inference pass: row 0 is the text, row i + 1 the text without token i. Inference gives every
    // row the bits it gets alone, so row 0 is what predict says and the explanation explains that.
    int n = ids.length;
    int[][] rows = new int[n > 1 ? n + 1 : 1][];
    rows[0] = ids;
    for (int i = 0; n > 1 && i < n; i++) {
      rows[i + 1] = new int[n - 1];
      System.arraycopy(ids, 0, rows[i + 1], 0, i);
      System.arraycopy(ids, i + 1, rows[i + 1], i, n - 1 - i);
    }
    int k = classes.size();
    float[] p = Inference.probabilities(net, workspace.get(), rows, pad, 0);
    Prediction prediction = new Prediction(classes, java.util.Arrays.copyOf(p, k));
    int target = prediction.index();
    ClassifierNet.Trace trace = net.trace(ids, target);
    float[] occlusion = null;
    if (n > 1) {
      occlusion = new float[n];
      for (int i = 0; i < n; i++) {
        occlusion[i] = p[target] - p[(i + 1) * k + target];
      }
    }
    NetConfig arch = net.config();
    List<Explanation.Steps> steps = new ArrayList<>();
    int h = arch.hidden();
    int dirs = arch.bidirectional() ? 2 : 1;
    for (int l = 0; l < arch.layers(); l++) {
      float[] out = trace.layerOutputs()[l];
      for (int d = 0; d < dirs; d++) {
        float[] hidden = new float[ids.length * h];
        for (int t = 0; t < ids.length; t++) {
          System.arraycopy(out, t * dirs * h + d * h, hidden, t * h, h);
        }
        boolean gated = arch.cell().gates() > 1;
        steps.add(new Explanation.Steps(l, d == 1, h, hidden, gated ? trace.gates()[l][d] : new float[0]));
      }
    }
    return new Explanation(List.copyOf(tokens), unknown, prediction, occlusion, trace.gradientTimesInput(),
        arch.cell(), steps);
  }

  /**
   * Evaluates labelled texts.
   *
   * @throws IllegalArgumentException naming the line of a label that is not one of the classes, or
   *     of a text with no tokens
   */
  public Evaluation evaluate(List<LabeledText> data) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      index.put(classes.get(i), i);
    }
    int[][] ids = new int[data.size()][];
    int[] labels = new int[data.size()];
    for (int i = 0; i < ids.length; i++) {
      LabeledText e = data.get(i);
      Integer y = index.get(e.label());
      String where = e.line() > 0 ? "line " + e.line() : "example " + (i + 1);
      if (y == null) {
        throw new IllegalArgumentException(where + ": label '" + e.label() + "' is not one of the model's classes "
            + classes);
      }
      labels[i] = y;
      try {
        ids[i] = encode(e.text());
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(where + ": " + ex.getMessage());
      }
    }
    return Inference.evaluate(net, workspace.get(), ids, labels, pad, 0, classes);
  }
}
