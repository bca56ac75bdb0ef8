package org.rnn4j.onnx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.Rnn4j;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Json;
import org.rnn4j.network.ClassifierNet;
import org.rnn4j.network.LanguageModelNet;
import org.rnn4j.network.NetConfig;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.nn.Pooling;
import org.rnn4j.persist.ModelConfig;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.persist.Sha256;

/**
 * Writes rnn4j classifiers and language models as ONNX models that ONNX Runtime runs to the same
 * numbers (language models: see {@link #languageModel}).
 *
 * <p>Inputs: {@code ids} int64 [batch, time] (token ids, padded with anything after each length)
 * and {@code lengths} int64 [batch], both dimensions symbolic. Outputs: {@code logits} and {@code
 * probabilities}, float [batch, classes]. The graph: Gather (embedding) → Transpose to time-major
 * → one ONNX {@code LSTM}, {@code GRU} or {@code RNN} node per layer with {@code sequence_lens},
 * so each direction reads exactly each sequence's tokens, as packing does → pooling (the final
 * states for {@code last}; a masked sum over time divided by the lengths for {@code mean}) → Gemm →
 * Softmax. Time-major throughout: ONNX Runtime rejects {@code layout=1}.
 *
 * <p>Gate orders change at this border only. PyTorch's LSTM blocks i, f, g, o become ONNX's i, o,
 * f, c; GRU r, z, n becomes z, r, h with {@code linear_before_reset=1}, the form in which PyTorch
 * (and rnn4j) apply the reset gate to W_hn·h + b_hn. An RNN's {@code activations} lists one entry per
 * direction. Tokenization stays outside the graph: the classes, tokenizer, max_length and the
 * vocabulary (with its sha256) go into the metadata, and docs/model-format.md shows how a caller
 * tokenizes.
 */
public final class Onnx {
  /** The opset written unless another is asked for; LSTM, GRU and RNN have been stable since 14. */
  public static final int DEFAULT_OPSET = 17;

  private Onnx() {}

  /**
   * Exports the classifier or language model in {@code modelDir} to {@code out}.
   *
   * @throws IOException naming the model file that is missing or invalid
   * @throws InvalidSettingException when the opset is outside 14..21
   */
  public static void export(Path modelDir, Path out, int opset) throws IOException {
    ModelDirectory.Contents c = ModelDirectory.load(modelDir, null);
    ModelConfig config = c.config();
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("rnn4j_task", config.task());
    if (config.classes() != null) {
      meta.put("classes", Json.write(config.classes()));
    }
    meta.put("tokenizer", config.tokenizer());
    meta.put("max_length", String.valueOf(config.maxLength() == null ? 0 : config.maxLength()));
    String vocab = c.vocabulary().toText();
    meta.put("vocabulary", vocab);
    meta.put("vocabulary_sha256", Sha256.of(vocab.getBytes(StandardCharsets.UTF_8)));
    meta.put("padding_id", String.valueOf(c.vocabulary().paddingId()));
    meta.put("unknown_id", String.valueOf(c.vocabulary().unknownId()));
    byte[] bytes;
    switch (config.task()) {
      case "classification" -> {
        ClassifierNet net = new ClassifierNet(config.network());
        c.loadInto(net.parameters());
        bytes = classifier(config.network(), net.parameters(), opset, meta);
      }
      case "language_model" -> {
        LanguageModelNet net = new LanguageModelNet(config.network());
        c.loadInto(net.parameters());
        bytes = languageModel(config.network(), net.parameters(), opset, meta);
      }
      default -> throw new FormatException(modelDir.resolve(ModelDirectory.CONFIG) + ": task '" + config.task()
          + "' cannot be exported (classification or language_model)");
    }
    Files.write(out, bytes);
  }

  /**
   * Exports a classifier network that has no model directory (a benchmark's, a test's), with no
   * tokenizer metadata; the graph is the one {@link #export} writes.
   */
  public static void exportNetwork(ClassifierNet net, Path out, int opset) throws IOException {
    Files.write(out, classifier(net.config(), net.parameters(), opset, Map.of("rnn4j_task", "classification")));
  }

  /**
   * The ONNX bytes of a language model: a window of steps for B streams with its state. Inputs
   * {@code ids} int64 [batch, time], {@code h0} (and for LSTM {@code c0}) float [layers, batch,
   * hidden]; outputs {@code logits} [batch, time, vocabulary], {@code h_n} (and {@code c_n}) [layers,
   * batch, hidden], to feed back as the next window's state: a caller generates one step at a time.
   */
  static byte[] languageModel(NetConfig cfg, ParameterSet p, int opset, Map<String, String> metadata)
      throws FormatException {
    checkOpset(opset);
    int h = cfg.hidden();
    boolean lstm = cfg.cell() == CellType.LSTM;
    OnnxGraph g = new OnnxGraph("rnn4j_language_model");
    g.input("ids", OnnxGraph.INT64, "batch", "time");
    g.input("h0", OnnxGraph.FLOAT, (long) cfg.layers(), "batch", (long) h);
    if (lstm) {
      g.input("c0", OnnxGraph.FLOAT, (long) cfg.layers(), "batch", (long) h);
    }
    String emb = g.floats("embedding.weight", p.require("embedding.weight").values(), cfg.vocabulary(), cfg.embed());
    String x = g.op("Gather", emb, "ids");
    x = g.op("Transpose", new Protobuf[] {OnnxGraph.intsAttr("perm", 1, 0, 2)}, x);  // [T, B, E]
    String axis0 = g.longs("axis_0", new long[] {0}, 1);
    String axis1 = g.longs("axis_1", new long[] {1}, 1);
    String[] hN = new String[cfg.layers()];
    String[] cN = new String[cfg.layers()];
    for (int l = 0; l < cfg.layers(); l++) {
      String[] w = recurrentWeights(g, cfg.cell(), p, l, 1, l == 0 ? cfg.embed() : h, h);
      String index = g.longs("layer_" + l, new long[] {l});
      String hl = g.op("Unsqueeze", g.op("Gather", new Protobuf[] {OnnxGraph.intAttr("axis", 0)}, "h0", index), axis0);
      String y = g.fresh("y");
      hN[l] = g.fresh("y_h");
      if (lstm) {
        String cl = g.op("Unsqueeze", g.op("Gather", new Protobuf[] {OnnxGraph.intAttr("axis", 0)}, "c0", index), axis0);
        cN[l] = g.fresh("y_c");
        g.node("LSTM", new String[] {x, w[0], w[1], w[2], "", hl, cl}, new String[] {y, hN[l], cN[l]},
            cellAttributes(cfg.cell(), h, 1));
      } else {
        g.node(onnxOp(cfg.cell()), new String[] {x, w[0], w[1], w[2], "", hl}, new String[] {y, hN[l]},
            cellAttributes(cfg.cell(), h, 1));
      }
      x = g.op("Squeeze", y, axis1);                                                   // [T, B, H]
    }
    g.node("Concat", hN, new String[] {"h_n"}, OnnxGraph.intAttr("axis", 0));
    if (lstm) {
      g.node("Concat", cN, new String[] {"c_n"}, OnnxGraph.intAttr("axis", 0));
    }
    float[] fcW = p.require("fc.weight").values();                                      // (V, H) → (H, V)
    float[] wT = new float[fcW.length];
    int v = cfg.vocabulary();
    for (int i = 0; i < v; i++) {
      for (int j = 0; j < h; j++) {
        wT[j * v + i] = fcW[i * h + j];
      }
    }
    String logits = g.op("Add", g.op("MatMul", x, g.floats("fc.weight_t", wT, h, v)),
        g.floats("fc.bias", p.require("fc.bias").values(), v));                         // [T, B, V]
    g.node("Transpose", new String[] {logits}, new String[] {"logits"}, OnnxGraph.intsAttr("perm", 1, 0, 2));
    g.output("logits", OnnxGraph.FLOAT, "batch", "time", (long) v);
    g.output("h_n", OnnxGraph.FLOAT, (long) cfg.layers(), "batch", (long) h);
    if (lstm) {
      g.output("c_n", OnnxGraph.FLOAT, (long) cfg.layers(), "batch", (long) h);
    }
    return g.model(opset, Rnn4j.VERSION, metadata);
  }

  private static void checkOpset(int opset) {
    if (opset < 14 || opset > 21) {
      throw new InvalidSettingException("{opset} must be in 14..21, got " + opset);
    }
  }

  /** The ONNX bytes of a classifier network with these weights (PyTorch names, as ClassifierNet registers them). */
  static byte[] classifier(NetConfig cfg, ParameterSet p, int opset, Map<String, String> metadata)
      throws FormatException {
    checkOpset(opset);
    int h = cfg.hidden();
    int dirs = cfg.bidirectional() ? 2 : 1;
    OnnxGraph g = new OnnxGraph("rnn4j_classifier");
    g.input("ids", OnnxGraph.INT64, "batch", "time");
    g.input("lengths", OnnxGraph.INT64, "batch");

    String emb = g.floats("embedding.weight", p.require("embedding.weight").values(), cfg.vocabulary(), cfg.embed());
    String x = g.op("Gather", emb, "ids");                                         // [B, T, E]
    x = g.op("Transpose", new Protobuf[] {OnnxGraph.intsAttr("perm", 1, 0, 2)}, x); // [T, B, E]
    String lens32 = g.op("Cast", new Protobuf[] {OnnxGraph.intAttr("to", OnnxGraph.INT32)}, "lengths");
    String lastHidden = null;
    String keepTwo = g.longs("shape_t_b_rest", new long[] {0, 0, -1}, 3);
    for (int l = 0; l < cfg.layers(); l++) {
      int in = l == 0 ? cfg.embed() : dirs * h;
      String[] w = recurrentWeights(g, cfg.cell(), p, l, dirs, in, h);
      String y = g.fresh("y");
      String yh = g.fresh("y_h");
      String[] outputs = cfg.cell() == CellType.LSTM ? new String[] {y, yh, g.fresh("y_c")} : new String[] {y, yh};
      g.node(onnxOp(cfg.cell()), new String[] {x, w[0], w[1], w[2], lens32}, outputs,
          cellAttributes(cfg.cell(), h, dirs));
      // Y [T, D, B, H] → [T, B, D·H]: the next layer's input, forward half first as in PyTorch.
      String t = g.op("Transpose", new Protobuf[] {OnnxGraph.intsAttr("perm", 0, 2, 1, 3)}, y);
      x = g.op("Reshape", t, keepTwo);
      lastHidden = yh;
    }
    String features;
    if (cfg.pooling() == Pooling.LAST) {
      // Y_h [D, B, H] of the top layer → [B, D·H]: each direction's state after its last token.
      String t = g.op("Transpose", new Protobuf[] {OnnxGraph.intsAttr("perm", 1, 0, 2)}, lastHidden);
      features = g.op("Reshape", t, g.longs("shape_b_rest", new long[] {0, -1}, 2));
    } else {
      features = meanOverTime(g, x);
    }
    String fcW = g.floats("fc.weight", p.require("fc.weight").values(), cfg.classes(), dirs * h);
    String fcB = g.floats("fc.bias", p.require("fc.bias").values(), cfg.classes());
    g.node("Gemm", new String[] {features, fcW, fcB}, new String[] {"logits"}, OnnxGraph.intAttr("transB", 1));
    g.node("Softmax", new String[] {"logits"}, new String[] {"probabilities"}, OnnxGraph.intAttr("axis", 1));
    g.output("logits", OnnxGraph.FLOAT, "batch", (long) cfg.classes());
    g.output("probabilities", OnnxGraph.FLOAT, "batch", (long) cfg.classes());
    return g.model(opset, Rnn4j.VERSION, metadata);
  }

  /** Σ_t<length y[t] / length, over y [T, B, F], as rnn4j's mean pooling reads only each sequence's steps. */
  private static String meanOverTime(OnnxGraph g, String y) {
    String zero = g.longs("zero", new long[] {0});
    String one = g.longs("one", new long[] {1});
    String time = g.op("Gather", g.op("Shape", "ids"), one);                       // T, a scalar
    String steps = g.op("Range", zero, time, one);                                  // [T]
    String column = g.op("Unsqueeze", steps, g.longs("axis_1", new long[] {1}, 1));  // [T, 1]
    String row = g.op("Unsqueeze", "lengths", g.longs("axis_0", new long[] {0}, 1)); // [1, B]
    String valid = g.op("Less", column, row);                                       // [T, B]
    String mask = g.op("Cast", new Protobuf[] {OnnxGraph.intAttr("to", OnnxGraph.FLOAT)}, valid);
    mask = g.op("Unsqueeze", mask, g.longs("axis_2", new long[] {2}, 1));           // [T, B, 1]
    String sum = g.op("ReduceSum", new Protobuf[] {OnnxGraph.intAttr("keepdims", 0)}, g.op("Mul", y, mask),
        g.longs("axis_0_", new long[] {0}, 1));                                      // [B, F]
    String count = g.op("Cast", new Protobuf[] {OnnxGraph.intAttr("to", OnnxGraph.FLOAT)}, "lengths");
    count = g.op("Unsqueeze", count, g.longs("axis_1_", new long[] {1}, 1));         // [B, 1]
    return g.op("Div", sum, count);
  }

  private static String onnxOp(CellType cell) {
    return switch (cell) {
      case LSTM -> "LSTM";
      case GRU -> "GRU";
      case RNN_TANH, RNN_RELU -> "RNN";
    };
  }

  private static Protobuf[] cellAttributes(CellType cell, int h, int dirs) {
    Protobuf size = OnnxGraph.intAttr("hidden_size", h);
    Protobuf direction = OnnxGraph.stringAttr("direction", dirs == 2 ? "bidirectional" : "forward");
    return switch (cell) {
      case LSTM -> new Protobuf[] {size, direction};
      case GRU -> new Protobuf[] {size, direction, OnnxGraph.intAttr("linear_before_reset", 1)};
      case RNN_TANH, RNN_RELU -> {
        String act = cell == CellType.RNN_TANH ? "Tanh" : "Relu";
        yield new Protobuf[] {size, direction, dirs == 2 ? OnnxGraph.stringsAttr("activations", act, act)
            : OnnxGraph.stringsAttr("activations", act)};
      }
    };
  }

  /**
   * Gate blocks of ONNX's order, by PyTorch's block index: LSTM i,o,f,c ← i,f,g,o; GRU z,r,h ← r,z,n.
   */
  private static int[] gateOrder(CellType cell) {
    return switch (cell) {
      case LSTM -> new int[] {0, 3, 1, 2};
      case GRU -> new int[] {1, 0, 2};
      case RNN_TANH, RNN_RELU -> new int[] {0};
    };
  }

  /** W [D, G·H, in], R [D, G·H, H] and B [D, 2·G·H] (Wb then Rb) of layer l, in ONNX's gate order. */
  private static String[] recurrentWeights(OnnxGraph g, CellType cell, ParameterSet p, int l, int dirs, int in,
                                           int h) {
    int[] order = gateOrder(cell);
    int gh = order.length * h;
    float[] w = new float[dirs * gh * in];
    float[] r = new float[dirs * gh * h];
    float[] b = new float[dirs * 2 * gh];
    for (int d = 0; d < dirs; d++) {
      String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
      float[] wIh = p.require("rnn.weight_ih" + suffix).values();
      float[] wHh = p.require("rnn.weight_hh" + suffix).values();
      float[] bIh = p.require("rnn.bias_ih" + suffix).values();
      float[] bHh = p.require("rnn.bias_hh" + suffix).values();
      for (int k = 0; k < order.length; k++) {
        int from = order[k] * h;
        System.arraycopy(wIh, from * in, w, (d * gh + k * h) * in, h * in);
        System.arraycopy(wHh, from * h, r, (d * gh + k * h) * h, h * h);
        System.arraycopy(bIh, from, b, d * 2 * gh + k * h, h);
        System.arraycopy(bHh, from, b, d * 2 * gh + gh + k * h, h);
      }
    }
    String name = "layer" + l;
    return new String[] {g.floats(name + ".W", w, dirs, gh, in), g.floats(name + ".R", r, dirs, gh, h),
        g.floats(name + ".B", b, dirs, 2L * gh)};
  }
}
