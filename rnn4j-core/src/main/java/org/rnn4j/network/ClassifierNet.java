package org.rnn4j.network;

import java.util.Arrays;

import org.rnn4j.math.Ops;
import org.rnn4j.nn.Embedding;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Linear;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.nn.RecurrentStack;
import org.rnn4j.nn.RowSet;
import org.rnn4j.nn.SequenceLayout;
import org.rnn4j.nn.SoftmaxCrossEntropy;
import org.rnn4j.optim.Adam;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;
import org.rnn4j.runtime.Environment;
import org.rnn4j.runtime.WarmUp;

/**
 * Sequence classifier: tokens → Embedding → recurrent stack → pooling → Linear → logits.
 * Parameter names match a PyTorch module with attributes {@code embedding}, {@code rnn} and
 * {@code fc}. All activations live in a {@link Workspace}, so one network can serve many threads,
 * each with its own workspace.
 */
public final class ClassifierNet {
  private final NetConfig config;
  private final ParameterSet params = new ParameterSet();
  private final Embedding embedding;
  private final RecurrentStack rnn;
  private final Linear fc;

  public ClassifierNet(NetConfig config) {
    if (config.classes() < 2) {
      throw new IllegalArgumentException("classes must be >= 2, got " + config.classes());
    }
    this.config = config;
    this.embedding = new Embedding(params, "embedding", config.vocabulary(), config.embed(),
        config.paddingIndex());
    this.rnn = new RecurrentStack(params, "rnn.", config.cell(), config.embed(), config.hidden(),
        config.layers(), config.bidirectional(), config.dropout());
    this.fc = new Linear(params, "fc", rnn.outputSize(), config.classes());
  }

  public NetConfig config() {
    return config;
  }

  public ParameterSet parameters() {
    return params;
  }

  public RecurrentStack rnn() {
    return rnn;
  }

  /**
   * One forward and backward pass of a small network with this architecture on random tokens, and
   * an Adam step over its parameters: work for {@link WarmUp}. The network is its
   * own; nothing is shared with a real one.
   */
  public static Runnable warmUpTask(NetConfig config) {
    NetConfig small = config.toBuilder().vocabulary(64).classes(Math.max(2, config.classes())).dropout(0f)
        .paddingIndex(-1).build();
    ClassifierNet net = new ClassifierNet(small);
    net.initialize(TorchGenerator.seeded(7));
    Adam adam = Adam.adam(net.parameters());
    Workspace ws = net.newWorkspace();
    int b = 16;
    int t = 24;
    int[] tokens = new int[b * t];
    int[] lengths = new int[b];
    int[] labels = new int[b];
    Rng rng = new Rng(11);
    for (int i = 0; i < b; i++) {
      lengths[i] = 1 + rng.nextInt(t);
      labels[i] = rng.nextInt(small.classes());
    }
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = rng.nextInt(64);
    }
    return () -> {
      net.forward(ws, tokens, lengths, t, true, null);
      net.loss(ws, labels);
      net.backward(ws);
      adam.step(1e-4);
    };
  }

  /**
   * PyTorch's default initialisation in PyTorch's module order (embedding, rnn, fc): after
   * {@code TorchGenerator.seeded(n)} the weights equal those PyTorch draws after {@code torch.manual_seed(n)}.
   */
  public void initialize(TorchGenerator g) {
    embedding.initialize(g);
    Init.recurrent(params, "rnn.", config.hidden(), g);
    fc.initialize(g);
  }

  /**
   * Inference can look the first layer's input projection up per token in a (V, G·H) table of
   * embedding·W_ihᵀ + b instead of computing it per batch: the results are the same bits, and
   * the GEMM it replaces is most of a small model's forward pass. The table is built once the
   * inference tokens seen with the current weights reach the vocabulary size (when it has paid
   * for itself), only if it fits in {@link #TABLE_BUDGET_FLOATS} and twice its size is free in the
   * heap, and again after the weights change.
   */
  static final long TABLE_BUDGET_FLOATS = Environment.projectionTableBudgetFloats();

  private volatile Projection projection; // tables and the weights' version they were built from
  private volatile boolean lookUpProjection = true;
  private long countedVersion = -1;
  private long inferenceTokens;

  private static final class Projection {
    final float[][] tables;
    final long version;

    Projection(float[][] tables, long version) {
      this.tables = tables;
      this.version = version;
    }
  }

  /**
   * Whether inference may use the projection table (default true). A trainer turns it off: its
   * weights change after every step, and a table per validation would only add to peak memory.
   */
  public void lookUpInputProjection(boolean enabled) {
    lookUpProjection = enabled;
    if (!enabled) {
      projection = null;
    }
  }

  private float[][] projectionTables(int n) {
    if (!lookUpProjection) {
      return null;
    }
    long version = params.version();
    Projection p = projection;
    if (p != null && p.version == version) {
      return p.tables;
    }
    int vocabulary = config.vocabulary();
    long size = rnn.projectionTableSize(vocabulary);
    if (size > TABLE_BUDGET_FLOATS) {
      return null;
    }
    synchronized (this) {
      if (countedVersion != version) {
        countedVersion = version;
        inferenceTokens = 0;
        projection = null; // built from older weights
      }
      inferenceTokens += n;
      if (inferenceTokens < vocabulary) {
        return null;
      }
      if (projection == null) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (free < 2 * size * Float.BYTES) {
          return null; // other models or data need the heap more; tried again next batch
        }
        Parameter w = embedding.weight();
        projection = new Projection(rnn.projectionTables(w.data(), w.offset(), vocabulary), version);
      }
      return projection.tables;
    }
  }

  /**
   * What the network computes for one sequence, to explain a prediction. Shapes, T = tokens:
   *
   * @param probabilities      (classes) softmax of the logits, the bits {@link #infer} gives
   * @param gradientTimesInput (T) for each token, the gradient of log p(target) with respect to its
   *                           embedding, dotted with the embedding
   * @param layerOutputs       per layer (T, directions·H) hidden states, forward half first
   * @param gates              per layer and direction (T, G·H) gate activations (see
   *                           {@link RecurrentStack#gateActivations})
   */
  public record Trace(float[] probabilities, float[] gradientTimesInput, float[][] layerOutputs,
                      float[][][] gates) {}

  /**
   * Forward and backward over one sequence of ids (no dropout), from log p(target). Synchronized,
   * and the parameter gradients are cleared after, because backward writes them: a served model is
   * never trained, so nothing else reads them.
   */
  public synchronized Trace trace(int[] ids, int target) {
    int t = ids.length;
    int e = embedding.dim();
    int k = config.classes();
    if (t < 1 || target < 0 || target >= k) {
      throw new IllegalArgumentException("trace needs >= 1 id and a target in 0.." + (k - 1));
    }
    Parameter w = embedding.weight();
    float[] x = new float[t * e];
    for (int i = 0; i < t; i++) {
      if (ids[i] < 0 || ids[i] >= embedding.vocabulary()) {
        throw new IllegalArgumentException("id " + ids[i] + " at " + i + " is outside the vocabulary");
      }
      System.arraycopy(w.data(), w.offset() + ids[i] * e, x, i * e, e);
    }
    SequenceLayout layout = SequenceLayout.of(new int[] {t}, t);
    RecurrentStack.Cache c = rnn.newCache();
    rnn.forward(c, layout, x, null, null, false, null);
    float[] features = new float[rnn.outputSize()];
    config.pooling().forward(rnn, c, features);
    float[] logits = new float[k];
    fc.forward(features, 1, logits);
    float[] probabilities = new float[k];
    SoftmaxCrossEntropy.softmax(logits, 0, k, probabilities, 0);
    // Read before backward, which overwrites the gate activations with their gradients.
    int layers = rnn.layers();
    int dirs = rnn.bidirectional() ? 2 : 1;
    float[][] outputs = new float[layers][];
    float[][][] gates = new float[layers][dirs][];
    for (int l = 0; l < layers; l++) {
      outputs[l] = Arrays.copyOf(rnn.layerOutput(c, l), t * rnn.outputSize());
      for (int d = 0; d < dirs; d++) {
        gates[l][d] = rnn.gateActivations(c, l, d);
      }
    }
    float[] dLogits = new float[k];
    SoftmaxCrossEntropy.forwardBackward(logits, 1, k, new int[] {target}, dLogits);
    float[] dFeatures = new float[rnn.outputSize()];
    float[] dOut = new float[t * rnn.outputSize()];
    float[] dhN = new float[rnn.stateSlices() * rnn.hiddenSize()];
    float[] dx = new float[t * e];
    try {
      fc.backward(features, dLogits, 1, dFeatures);
      boolean mean = config.pooling().backward(rnn, c, dFeatures, dOut, dhN);
      rnn.backward(c, mean ? dOut : null, mean ? null : dhN, null, dx, null, null);
    } finally {
      params.zeroGrad();
    }
    float[] saliency = new float[t];
    for (int i = 0; i < t; i++) {
      float sum = 0f;
      for (int j = 0; j < e; j++) {
        sum = Math.fma(-dx[i * e + j], x[i * e + j], sum); // d log p / dx = -dLoss/dx
      }
      saliency[i] = sum;
    }
    return new Trace(probabilities, saliency, outputs, gates);
  }

  /** Activations and gradients of one forward/backward; reuse it across batches. */
  public static final class Workspace {
    final RecurrentStack.Cache rnn;
    SequenceLayout layout;
    int rows;
    final EmbeddedInput input = new EmbeddedInput();
    int[] ids = new int[0];
    float[] features = new float[0];
    float[] logits = new float[0];
    float[] dLogits = new float[0];
    float[] dFeatures = new float[0];
    float[] dOut = new float[0];
    float[] dhN = new float[0];
    final RowSet touchedRows = new RowSet();

    Workspace(RecurrentStack stack) {
      this.rnn = stack.newCache();
    }

    /** Logits (B, classes) of the last forward, in batch order. */
    public float[] logits() {
      return logits;
    }

    public SequenceLayout layout() {
      return layout;
    }

    /** Embedding rows the last backward wrote gradient into (cleared by the next backward). */
    public RowSet touchedRows() {
      return touchedRows;
    }
  }

  public Workspace newWorkspace() {
    return new Workspace(rnn);
  }

  /**
   * Forward over a padded batch: tokens (B, T) row-major with ids in [0, vocabulary); only the first
   * lengths[b] ids of row b are read. Returns the workspace's logits (B, classes).
   */
  public float[] forward(Workspace ws, int[] tokens, int[] lengths, int paddedLength,
                         boolean training, Rng rng) {
    return forward(ws, tokens, lengths, paddedLength, training, rng, false);
  }

  /**
   * Inference: the same logits as {@code forward(ws, tokens, lengths, paddedLength, false, null)},
   * bit for bit, possibly through the projection table; the workspace cannot be used for backward.
   */
  public float[] infer(Workspace ws, int[] tokens, int[] lengths, int paddedLength) {
    return forward(ws, tokens, lengths, paddedLength, false, null, true);
  }

  private float[] forward(Workspace ws, int[] tokens, int[] lengths, int paddedLength, boolean training,
                          Rng rng, boolean inferenceOnly) {
    SequenceLayout layout = SequenceLayout.of(lengths, paddedLength);
    int n = layout.tokens();
    int b = layout.batch();
    ws.layout = layout;
    ws.rows = b;
    float[][] tables = inferenceOnly ? projectionTables(n) : null;
    if (tables != null) {
      ws.ids = ws.ids.length >= n ? ws.ids : new int[n];
      embedding.packedIds(tokens, layout, ws.ids);
      rnn.forwardTokens(ws.rnn, layout, ws.ids, tables);
    } else {
      ws.input.forward(embedding, rnn, ws.rnn, tokens, layout, null, null, training, rng);
    }
    ws.features = Ops.ensure(ws.features, b * rnn.outputSize());
    config.pooling().forward(rnn, ws.rnn, ws.features);
    ws.logits = Ops.ensure(ws.logits, b * config.classes());
    fc.forward(ws.features, b, ws.logits);
    return ws.logits;
  }

  /** Mean cross-entropy of the last forward against labels (B), and its gradient for backward. */
  public double loss(Workspace ws, int[] labels) {
    if (labels.length < ws.rows) {
      throw new IllegalArgumentException("labels has " + labels.length + " entries for a batch of " + ws.rows);
    }
    ws.dLogits = Ops.ensure(ws.dLogits, ws.rows * config.classes());
    return SoftmaxCrossEntropy.forwardBackward(ws.logits, ws.rows, config.classes(), labels, ws.dLogits);
  }

  /** Accumulates parameter gradients of the last {@link #loss}. */
  public void backward(Workspace ws) {
    SequenceLayout layout = ws.layout;
    int b = ws.rows;
    int n = layout.tokens();
    ws.dFeatures = Ops.ensure(ws.dFeatures, b * rnn.outputSize());
    fc.backward(ws.features, ws.dLogits, b, ws.dFeatures);
    if (config.pooling().gradientThroughOutputs()) { // else no (N, D·H) buffer: the stack reads zeros
      ws.dOut = Ops.ensure(ws.dOut, n * rnn.outputSize());
    }
    ws.dhN = Ops.ensure(ws.dhN, rnn.stateSlices() * b * rnn.hiddenSize());
    boolean mean = config.pooling().backward(rnn, ws.rnn, ws.dFeatures, ws.dOut, ws.dhN);
    ws.input.backward(embedding, rnn, ws.rnn, mean ? ws.dOut : null, mean ? null : ws.dhN, ws.touchedRows);
  }

  /** The embedding table, {@code embedding.weight}. */
  public Parameter embeddingWeight() {
    return embedding.weight();
  }
}
