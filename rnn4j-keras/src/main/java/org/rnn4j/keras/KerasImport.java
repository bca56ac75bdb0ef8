package org.rnn4j.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.classify.Classifier;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Json;
import org.rnn4j.network.ClassifierNet;
import org.rnn4j.network.NetConfig;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.nn.Pooling;
import org.rnn4j.persist.ModelConfig;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.persist.Provenance;
import org.rnn4j.text.Vocabulary;

/**
 * Imports a Keras text classifier: {@code Embedding(mask_zero=True)} → one or more {@code LSTM},
 * {@code GRU} or {@code SimpleRNN} layers, each optionally inside {@code Bidirectional} (merge mode
 * concat) → optional {@code GlobalAveragePooling1D} → {@code Dense} (softmax or linear). Both of
 * Keras's files are read: a Keras 3 {@code .keras} archive (config.json and model.weights.h5) and a
 * legacy {@code .h5} file (model_config and model_weights).
 *
 * <p>The weights map onto PyTorch's layout: kernels are transposed; LSTM gates keep their order
 * (i, f, c, o is PyTorch's i, f, g, o), with the single Keras bias as {@code bias_ih} and a zero
 * {@code bias_hh}; GRU's z, r, h becomes r, z, n, and {@code reset_after=True}'s two bias rows become
 * {@code bias_ih} and {@code bias_hh}. Keras skips masked steps, as packing does. A
 * {@code TextVectorization} vocabulary ("" the padding at id 0, "[UNK]" at 1) becomes {@code <pad>}
 * and {@code <unk>} at the same ids, and the tokenizer is {@code keras_lower_and_strip_punctuation}.
 *
 * <p>What rnn4j cannot reproduce exactly is refused, naming the layer and the reason.
 */
public final class KerasImport {
  private KerasImport() {}

  /** A recurrent layer as read: its cell, direction weights (forward, then backward if bidirectional). */
  private record Recurrent(String name, CellType cell, int units, List<Map<String, float[][]>> directions) {}

  /**
   * Writes the rnn4j model directory {@code out} for the Keras model in {@code file} and returns it
   * loaded.
   *
   * @param vocab the vocabulary in id order, one token per line, as
   *              {@code TextVectorization.get_vocabulary()} returns it; null when the model takes ids
   *              (then tokens are named by their ids)
   * @param classes class names in output order; null names them 0, 1, ...
   * @throws FormatException naming the file and layer that cannot be imported, and why
   */
  public static Classifier importClassifier(Path file, Path vocab, List<String> classes, Path out) throws IOException {
    String name = file.getFileName().toString();
    Map<String, Object> config;
    Map<String, Map<String, float[][]>> weights; // layer name → weight path → values
    if (name.endsWith(".keras")) {
      byte[] weightsFile = null;
      String json = null;
      try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
        for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
          if (e.getName().equals("config.json")) {
            json = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
          } else if (e.getName().equals("model.weights.h5")) {
            weightsFile = zip.readAllBytes();
          }
        }
      }
      if (json == null || weightsFile == null) {
        throw new FormatException(file + ": not a Keras archive (no config.json or model.weights.h5)");
      }
      config = Json.parseObject(json);
      try (InputStream in = new ByteArrayInputStream(weightsFile); HdfFile h5 = HdfFile.fromInputStream(in)) {
        weights = kerasArchiveWeights(h5);
      }
    } else if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
      try (HdfFile h5 = new HdfFile(file)) {
        Attribute a = h5.getAttribute("model_config");
        if (a == null) {
          throw new FormatException(file + ": an HDF5 file without a Keras model_config (weights only?)");
        }
        config = Json.parseObject(String.valueOf(a.getData()));
        weights = legacyWeights(h5);
      }
    } else {
      throw new FormatException(file + ": a Keras model is a .keras archive or an .h5 file");
    }
    return build(file, config, weights, vocab, classes, out);
  }

  /** model.weights.h5 of a .keras archive: layers/KEY/.../vars/N; the layer's name is the vars group's "name". */
  private static Map<String, Map<String, float[][]>> kerasArchiveWeights(HdfFile h5) {
    Map<String, Map<String, float[][]>> out = new LinkedHashMap<>();
    Node layers = h5.getChild("layers");
    if (!(layers instanceof Group g)) {
      return out;
    }
    for (Node layer : g.getChildren().values()) {
      if (layer instanceof Group lg && lg.getChild("vars") instanceof Group vars) {
        Map<String, float[][]> w = new LinkedHashMap<>();
        collect(lg, "", w);
        out.put(String.valueOf(vars.getAttribute("name").getData()), w);
      }
    }
    return out;
  }

  /** model_weights/NAME/... of a legacy .h5 file. */
  private static Map<String, Map<String, float[][]>> legacyWeights(HdfFile h5) {
    Map<String, Map<String, float[][]>> out = new LinkedHashMap<>();
    if (h5.getChild("model_weights") instanceof Group g) {
      for (Map.Entry<String, Node> e : g.getChildren().entrySet()) {
        if (e.getValue() instanceof Group lg) {
          Map<String, float[][]> w = new LinkedHashMap<>();
          collect(lg, "", w);
          out.put(e.getKey(), w);
        }
      }
    }
    return out;
  }

  /** Every dataset under g, by its path below g, as a matrix (a vector is one row). */
  private static void collect(Group g, String prefix, Map<String, float[][]> out) {
    for (Map.Entry<String, Node> e : g.getChildren().entrySet()) {
      String path = prefix + "/" + e.getKey();
      if (e.getValue() instanceof Group sub) {
        collect(sub, path, out);
      } else if (e.getValue() instanceof Dataset d) {
        Object data = d.getData();
        out.put(path, data instanceof float[] v ? new float[][] {v} : (float[][]) data);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Classifier build(Path file, Map<String, Object> model, Map<String, Map<String, float[][]>> weights,
                                  Path vocabFile, List<String> classes, Path out) throws IOException {
    Map<String, Object> cfg = (Map<String, Object>) model.get("config");
    List<Map<String, Object>> layers = cfg == null ? null : (List<Map<String, Object>>) cfg.get("layers");
    if (layers == null) {
      throw new FormatException(file + ": not a Keras functional or sequential model config");
    }
    float[][] embedding = null;
    int vocabularySize = 0;
    List<Recurrent> recurrent = new ArrayList<>();
    Pooling pooling = Pooling.LAST;
    float[][] dense = null;
    float[] denseBias = null;
    boolean lastReturnsSequences = false;
    for (Map<String, Object> layer : layers) {
      String kind = (String) layer.get("class_name");
      Map<String, Object> c = (Map<String, Object>) layer.get("config");
      String name = (String) c.get("name");
      String where = file + ": layer '" + name + "' (" + kind + ")";
      Map<String, float[][]> w = weights.getOrDefault(name, Map.of());
      switch (kind) {
        case "InputLayer", "NotEqual" -> { } // the input, and the mask Keras 3 derives from mask_zero
        case "Embedding" -> {
          if (!Boolean.TRUE.equals(c.get("mask_zero"))) {
            throw new FormatException(where + ": mask_zero=False: Keras reads the padding steps, rnn4j never does");
          }
          embedding = only(w, where);
          vocabularySize = embedding.length;
        }
        case "LSTM", "GRU", "SimpleRNN" -> {
          checkRecurrent(where, c, false);
          recurrent.add(new Recurrent(name, cell(where, kind, c), num(c, "units"), List.of(cellWeights(w, "", where))));
          lastReturnsSequences = Boolean.TRUE.equals(c.get("return_sequences"));
        }
        case "Bidirectional" -> {
          if (!"concat".equals(c.get("merge_mode"))) {
            throw new FormatException(where + ": merge_mode '" + c.get("merge_mode") + "': only concat is rnn4j's");
          }
          Map<String, Object> inner = (Map<String, Object>) c.get("layer");
          String innerKind = (String) inner.get("class_name");
          Map<String, Object> ic = (Map<String, Object>) inner.get("config");
          checkRecurrent(where, ic, true);
          recurrent.add(new Recurrent(name, cell(where, innerKind, ic), num(ic, "units"),
              List.of(cellWeights(w, "forward", where), cellWeights(w, "backward", where))));
          lastReturnsSequences = Boolean.TRUE.equals(ic.get("return_sequences"));
        }
        case "GlobalAveragePooling1D" -> pooling = Pooling.MEAN;
        case "Dense" -> {
          String act = (String) c.get("activation");
          if (!"softmax".equals(act) && !"linear".equals(act)) {
            throw new FormatException(where + ": activation '" + act + "': rnn4j's classifier ends in softmax "
                + "(or predicts from logits, linear)");
          }
          if (!Boolean.TRUE.equals(c.get("use_bias"))) {
            throw new FormatException(where + ": use_bias=False is not supported");
          }
          dense = find(w, "kernel", "vars/0", where);
          denseBias = find(w, "bias", "vars/1", where)[0];
        }
        default -> throw new FormatException(where + ": a layer rnn4j does not import (Embedding, LSTM, GRU, "
            + "SimpleRNN, Bidirectional, GlobalAveragePooling1D and Dense are)");
      }
    }
    if (embedding == null || recurrent.isEmpty() || dense == null) {
      throw new FormatException(file + ": needs an Embedding, at least one recurrent layer and a Dense layer");
    }
    if (pooling == Pooling.LAST && lastReturnsSequences) {
      throw new FormatException(file + ": the last recurrent layer returns sequences but no pooling follows");
    }
    Recurrent first = recurrent.get(0);
    int dirs = first.directions().size();
    for (Recurrent r : recurrent) {
      if (r.cell() != first.cell() || r.units() != first.units() || r.directions().size() != dirs) {
        throw new FormatException(file + ": layer '" + r.name() + "': every recurrent layer must have the same cell, "
            + "units and directions (an rnn4j stack)");
      }
    }
    int k = denseBias.length;
    List<String> names = classes;
    if (names == null) {
      names = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        names.add(String.valueOf(i));
      }
    } else if (names.size() != k) {
      throw new InvalidSettingException("{classes} names " + names.size() + " classes, the Dense layer has " + k);
    }
    Vocabulary vocab = vocabulary(vocabFile, vocabularySize);
    NetConfig arch = NetConfig.builder().cell(first.cell()).vocabulary(vocabularySize).embed(embedding[0].length)
        .hidden(first.units()).layers(recurrent.size()).bidirectional(dirs == 2).pooling(pooling).classes(k)
        .paddingIndex(0).build();
    ClassifierNet net = new ClassifierNet(arch);
    ParameterSet p = net.parameters();
    p.require("embedding.weight").set(flatten(embedding));
    for (int l = 0; l < recurrent.size(); l++) {
      for (int d = 0; d < dirs; d++) {
        setRecurrent(p, first.cell(), "_l" + l + (d == 1 ? "_reverse" : ""), recurrent.get(l).directions().get(d));
      }
    }
    p.require("fc.weight").set(flatten(transpose(dense)));
    p.require("fc.bias").set(denseBias);
    Provenance from = new Provenance(null, null, null, null, null, null,
        Map.of("exported_from", "keras " + file.getFileName()));
    ModelConfig config = new ModelConfig("classification", arch, List.copyOf(names),
        vocabFile == null ? "whitespace" : "keras_lower_and_strip_punctuation", null, null, from, null);
    ModelDirectory.commit(out, config, vocab, p);
    return Classifier.load(out);
  }

  private static void checkRecurrent(String where, Map<String, Object> c, boolean insideBidirectional)
      throws FormatException {
    if (Boolean.TRUE.equals(c.get("stateful"))) {
      throw new FormatException(where + ": stateful=True carries state between batches; rnn4j does not");
    }
    if (Boolean.TRUE.equals(c.get("go_backwards")) && !insideBidirectional) {
      throw new FormatException(where + ": go_backwards=True outside Bidirectional is not supported");
    }
    if (!Boolean.TRUE.equals(c.getOrDefault("use_bias", true))) {
      throw new FormatException(where + ": use_bias=False is not supported");
    }
    Object ra = c.get("recurrent_activation");
    if (ra != null && !"sigmoid".equals(ra)) {
      throw new FormatException(where + ": recurrent_activation '" + ra + "' (rnn4j's gates use sigmoid)");
    }
    if (c.containsKey("reset_after") && !Boolean.TRUE.equals(c.get("reset_after"))) {
      throw new FormatException(where + ": reset_after=False applies the reset gate before W_hn; rnn4j, as "
          + "PyTorch, applies it after");
    }
  }

  private static CellType cell(String where, String kind, Map<String, Object> c) throws FormatException {
    String act = (String) c.get("activation");
    return switch (kind) {
      case "LSTM", "GRU" -> {
        if (!"tanh".equals(act)) {
          throw new FormatException(where + ": activation '" + act + "' (rnn4j's " + kind + " uses tanh)");
        }
        yield kind.equals("LSTM") ? CellType.LSTM : CellType.GRU;
      }
      case "SimpleRNN" -> switch (String.valueOf(act)) {
        case "tanh" -> CellType.RNN_TANH;
        case "relu" -> CellType.RNN_RELU;
        default -> throw new FormatException(where + ": activation '" + act + "' (tanh or relu)");
      };
      default -> throw new FormatException(where + ": wraps '" + kind + "', not LSTM, GRU or SimpleRNN");
    };
  }

  /**
   * kernel, recurrent_kernel and bias of one direction: named in a legacy file (.../kernel), numbered
   * in an archive (.../cell/vars/0, 1, 2). {@code side} is "" or forward/backward.
   */
  private static Map<String, float[][]> cellWeights(Map<String, float[][]> w, String side, String where)
      throws FormatException {
    Map<String, float[][]> sel = new LinkedHashMap<>();
    for (Map.Entry<String, float[][]> e : w.entrySet()) {
      String path = e.getKey();
      if (side.isEmpty() || path.contains("/" + side + "_")) {
        sel.put(path, e.getValue());
      }
    }
    Map<String, float[][]> out = new LinkedHashMap<>();
    out.put("kernel", find(sel, "kernel", "vars/0", where));
    out.put("recurrent_kernel", find(sel, "recurrent_kernel", "vars/1", where));
    out.put("bias", find(sel, "bias", "vars/2", where));
    return out;
  }

  /** The dataset whose path ends in /legacyName or in /archiveName. */
  private static float[][] find(Map<String, float[][]> w, String legacyName, String archiveName, String where)
      throws FormatException {
    for (Map.Entry<String, float[][]> e : w.entrySet()) {
      if (e.getKey().endsWith("/" + legacyName) || e.getKey().endsWith("/" + archiveName)) {
        return e.getValue();
      }
    }
    throw new FormatException(where + ": no weight '" + legacyName + "' among " + w.keySet());
  }

  private static float[][] only(Map<String, float[][]> w, String where) throws FormatException {
    if (w.size() != 1) {
      throw new FormatException(where + ": expected one weight, found " + w.keySet());
    }
    return w.values().iterator().next();
  }

  /** Keras (in, G·H) kernels in Keras's gate order → PyTorch (G·H, in) in PyTorch's. */
  private static void setRecurrent(ParameterSet p, CellType cell, String suffix, Map<String, float[][]> w) {
    int h = w.get("recurrent_kernel").length;
    int[] order = cell == CellType.GRU ? new int[] {1, 0, 2} : identity(cell.gates()); // PyTorch block ← Keras block
    float[][] bias = w.get("bias");
    float[] bIh = reorder(bias[0], order, h);
    float[] bHh = bias.length > 1 ? reorder(bias[1], order, h) : new float[bIh.length];
    p.require("rnn.weight_ih" + suffix).set(flatten(reorderRows(transpose(w.get("kernel")), order, h)));
    p.require("rnn.weight_hh" + suffix).set(flatten(reorderRows(transpose(w.get("recurrent_kernel")), order, h)));
    p.require("rnn.bias_ih" + suffix).set(bIh);
    p.require("rnn.bias_hh" + suffix).set(bHh);
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  private static float[] reorder(float[] v, int[] order, int h) {
    float[] out = new float[v.length];
    for (int b = 0; b < order.length; b++) {
      System.arraycopy(v, order[b] * h, out, b * h, h);
    }
    return out;
  }

  private static float[][] reorderRows(float[][] m, int[] order, int h) {
    float[][] out = new float[m.length][];
    for (int b = 0; b < order.length; b++) {
      for (int j = 0; j < h; j++) {
        out[b * h + j] = m[order[b] * h + j];
      }
    }
    return out;
  }

  private static float[][] transpose(float[][] m) {
    float[][] t = new float[m[0].length][m.length];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[0].length; j++) {
        t[j][i] = m[i][j];
      }
    }
    return t;
  }

  private static float[] flatten(float[][] m) {
    float[] out = new float[m.length * m[0].length];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
    }
    return out;
  }

  private static int num(Map<String, Object> c, String key) {
    return ((Number) c.get(key)).intValue();
  }

  /**
   * TextVectorization's vocabulary, or ids named by themselves: id 0 (padding) is {@code <pad>}, id 1
   * ([UNK]) is {@code <unk>}.
   */
  private static Vocabulary vocabulary(Path file, int size) throws IOException {
    List<String> tokens = new ArrayList<>();
    if (file == null) {
      for (int i = 0; i < size; i++) {
        tokens.add(i == 0 ? Vocabulary.PAD : i == 1 ? Vocabulary.UNK : Integer.toString(i));
      }
    } else {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.size() != size) {
        throw new FormatException(file + ": has " + lines.size() + " tokens, the Embedding has " + size + " rows");
      }
      if (!lines.get(0).isEmpty() || !lines.get(1).equals("[UNK]")) {
        throw new FormatException(file + ": line 1 must be the padding \"\" and line 2 \"[UNK]\", as "
            + "TextVectorization.get_vocabulary() returns them");
      }
      tokens.add(Vocabulary.PAD);
      tokens.add(Vocabulary.UNK);
      tokens.addAll(lines.subList(2, lines.size()));
    }
    return Vocabulary.of(tokens);
  }
}
