package org.rnn4j.network;

import java.util.Arrays;
import org.rnn4j.math.Ops;
import org.rnn4j.nn.Embedding;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Linear;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.nn.RecurrentStack;
import org.rnn4j.nn.RowSet;
import org.rnn4j.nn.SequenceLayout;
import org.rnn4j.nn.SoftmaxCrossEntropy;
import org.rnn4j.optim.Adam;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;
import org.rnn4j.runtime.WarmUp;

/**
 * Next-token language model: tokens (B, T) → Embedding → unidirectional recurrent stack → per-step
 * Linear over the vocabulary → logits (T·B, V). Parameter names match a PyTorch module with
 * attributes {@code embedding}, {@code rnn} and {@code fc}, like {@link ClassifierNet}.
 *
 * <p>Every sequence in a batch has the full length T, so packed rows are time-major: row t·B + b
 * holds step t of sequence b. The recurrent state lives outside the network in a {@link State},
 * which is how truncated BPTT carries it from one window to the next (detached: no gradient flows
 * into it) and how generation keeps it between single steps.
 */
public final class LanguageModelNet {
  private final NetConfig config;
  private final ParameterSet params = new ParameterSet();
  private final Embedding embedding;
  private final RecurrentStack rnn;
  private final Linear fc;

  /** Uses config's cell, vocabulary, embed, hidden, layers and dropout; the output size is the vocabulary. */
  public LanguageModelNet(NetConfig config) {
    if (config.bidirectional()) {
      throw new IllegalArgumentException("a language model cannot be bidirectional: it would see the future");
    }
    this.config = config;
    this.embedding = new Embedding(params, "embedding", config.vocabulary(), config.embed(),
        config.paddingIndex());
    this.rnn = new RecurrentStack(params, "rnn.", config.cell(), config.embed(), config.hidden(),
        config.layers(), false, config.dropout());
    this.fc = new Linear(params, "fc", config.hidden(), config.vocabulary());
  }

  public NetConfig config() {
    return config;
  }

  public ParameterSet parameters() {
    return params;
  }

  public int vocabulary() {
    return config.vocabulary();
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

  /** Recurrent state of B streams: h and (LSTM only) c, each (layers, B, H); zeros when fresh. */
  public static final class State {
    final int batch;
    final float[] h;
    final float[] c;

    State(int batch, int size, boolean cell) {
      this.batch = batch;
      this.h = new float[size];
      this.c = cell ? new float[size] : null;
    }

    public int batch() {
      return batch;
    }

    /** Hidden states (layers, B, H); the array is live. */
    public float[] hidden() {
      return h;
    }

    /** LSTM cell states (layers, B, H), or null for RNN and GRU; the array is live. */
    public float[] cell() {
      return c;
    }

    /** Back to zeros, as at the start of a text. */
    public void reset() {
      Arrays.fill(h, 0f);
      if (c != null) {
        Arrays.fill(c, 0f);
      }
    }

    public void copyFrom(State other) {
      if (other.h.length != h.length) {
        throw new IllegalArgumentException("states differ in size");
      }
      System.arraycopy(other.h, 0, h, 0, h.length);
      if (c != null) {
        System.arraycopy(other.c, 0, c, 0, c.length);
      }
    }
  }

  /** A zero state for {@code batch} parallel streams. */
  public State newState(int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    return new State(batch, config.layers() * batch * config.hidden(), config.cell().hasCellState());
  }

  /** Activations and gradients of one forward/backward; reuse it across windows, one per thread. */
  public static final class Workspace {
    final RecurrentStack.Cache rnn;
    SequenceLayout layout;
    int rows;
    int[] targets = new int[0];
    final EmbeddedInput input = new EmbeddedInput();
    float[] logits = new float[0];
    float[] dLogits = new float[0];
    float[] dOut = new float[0];
    final RowSet touchedRows = new RowSet();

    Workspace(RecurrentStack stack) {
      this.rnn = stack.newCache();
    }

    /** Logits (T·B, V) of the last forward; row t·B + b is step t of sequence b. */
    public float[] logits() {
      return logits;
    }

    /** Embedding rows the last backward wrote gradient into. */
    public RowSet touchedRows() {
      return touchedRows;
    }
  }

  public Workspace newWorkspace() {
    return new Workspace(rnn);
  }

  /**
   * Forward over B streams of T tokens each, starting from {@code state}, which then holds the
   * final state (for the next window). Returns the workspace's logits (T·B, V), time-major.
   *
   * @param tokens (B, T) row-major ids in [0, V)
   */
  public float[] forward(Workspace ws, int[] tokens, int batch, int steps, State state, boolean training,
                         Rng rng) {
    if (state.batch != batch) {
      throw new IllegalArgumentException("state is for " + state.batch + " streams, the batch has " + batch);
    }
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    SequenceLayout layout = ws.layout != null && ws.layout.batch() == batch && ws.layout.paddedLength() == steps
        ? ws.layout : SequenceLayout.uniform(batch, steps);
    int n = layout.tokens();
    ws.layout = layout;
    ws.rows = n;
    ws.input.forward(embedding, rnn, ws.rnn, tokens, layout, state.h, state.c, training, rng);
    ws.logits = Ops.ensure(ws.logits, n * config.vocabulary());
    fc.forward(rnn.output(ws.rnn), n, ws.logits);
    System.arraycopy(rnn.finalHidden(ws.rnn), 0, state.h, 0, state.h.length);
    if (state.c != null) {
      System.arraycopy(rnn.finalCell(ws.rnn), 0, state.c, 0, state.c.length);
    }
    return ws.logits;
  }

  /**
   * One step for B streams: tokens (B) → logits (B, V); the state advances. Identical to the
   * matching row of a full-sequence {@link #forward}.
   */
  public float[] step(Workspace ws, int[] tokens, State state) {
    return forward(ws, tokens, state.batch, 1, state, false, null);
  }

  /**
   * Mean cross-entropy of the last forward against targets (B, T) row-major (the next tokens;
   * {@link SoftmaxCrossEntropy#IGNORE} skips a position), and its gradient for backward.
   */
  public double loss(Workspace ws, int[] targets) {
    orderTargets(ws, targets);
    ws.dLogits = Ops.ensure(ws.dLogits, ws.rows * config.vocabulary());
    return SoftmaxCrossEntropy.forwardBackward(ws.logits, ws.rows, config.vocabulary(), ws.targets, ws.dLogits);
  }

  /**
   * The mean cross-entropy of {@link #loss}, the same bits, without the gradient that only training
   * reads: evaluation skips the second exponential per logit.
   */
  public double evaluationLoss(Workspace ws, int[] targets) {
    orderTargets(ws, targets);
    return SoftmaxCrossEntropy.forwardBackward(ws.logits, ws.rows, config.vocabulary(), ws.targets, null);
  }

  /** ws.targets in the logits' row order (t·B + b) from targets (B, T) row-major. */
  private void orderTargets(Workspace ws, int[] targets) {
    SequenceLayout layout = ws.layout;
    int b = layout.batch();
    int t0 = layout.paddedLength();
    if (targets.length < b * t0) {
      throw new IllegalArgumentException("targets must have B×T = " + b + "×" + t0 + " ids, got " + targets.length);
    }
    ws.targets = ensure(ws.targets, ws.rows);
    for (int t = 0; t < t0; t++) {
      for (int r = 0; r < b; r++) {
        ws.targets[t * b + r] = targets[r * t0 + t];
      }
    }
  }

  /** Accumulates parameter gradients of the last {@link #loss}; none flows into the initial state. */
  public void backward(Workspace ws) {
    int n = ws.rows;
    ws.dOut = Ops.ensure(ws.dOut, n * config.hidden());
    fc.backward(rnn.output(ws.rnn), ws.dLogits, n, ws.dOut);
    ws.input.backward(embedding, rnn, ws.rnn, ws.dOut, null, ws.touchedRows);
  }

  /**
   * One training step of a small network with this architecture on random tokens and an Adam
   * update: work for {@link WarmUp}. Nothing is shared with a real network.
   */
  public static Runnable warmUpTask(NetConfig config) {
    NetConfig small = config.toBuilder().vocabulary(64).classes(64).dropout(0f).paddingIndex(-1).build();
    LanguageModelNet net = new LanguageModelNet(small);
    net.initialize(TorchGenerator.seeded(7));
    Adam adam = Adam.adam(net.parameters());
    Workspace ws = net.newWorkspace();
    int b = 8;
    int t = 16;
    State state = net.newState(b);
    int[] tokens = new int[b * t];
    int[] targets = new int[b * t];
    Rng rng = new Rng(11);
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = rng.nextInt(64);
      targets[i] = rng.nextInt(64);
    }
    return () -> {
      state.reset();
      net.forward(ws, tokens, b, t, state, true, null);
      net.loss(ws, targets);
      net.backward(ws);
      adam.step(1e-4);
    };
  }

  private static int[] ensure(int[] a, int n) {
    return a.length >= n ? a : new int[n];
  }
}
