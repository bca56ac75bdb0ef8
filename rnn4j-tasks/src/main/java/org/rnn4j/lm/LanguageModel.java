package org.rnn4j.lm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.io.FormatException;
import org.rnn4j.network.LanguageModelNet;
import org.rnn4j.network.NetConfig;
import org.rnn4j.network.Sampler;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.SoftmaxCrossEntropy;
import org.rnn4j.persist.ModelConfig;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.text.Tokenizer;
import org.rnn4j.text.Vocabulary;

/**
 * A trained language model loaded from its directory: evaluates texts and generates new ones.
 *
 * <pre>{@code
 * LanguageModel lm = LanguageModel.load(Path.of("shakespeare"));
 * lm.generate("ROMEO:", 500, lm.sampler(0.8, 0, 1.0, 42), System.out::print);
 * LanguageModel.Session s = lm.newSession(1);           // step by step
 * float[] logits = s.feed(lm.encode("To be"));          // distribution of the next token
 * }</pre>
 *
 * <p>The model is immutable and safe to share between threads; a {@link Session} holds one
 * caller's recurrent state and buffers.
 */
public final class LanguageModel {
  /** The task a language model's config.json names. */
  public static final String TASK = LanguageModelTask.NAME;

  /** Window length for evaluation, as torch_charlm.py uses (the state carries across windows). */
  static final int EVAL_WINDOW = 256;

  private final Path directory;
  private final ModelConfig config;
  private final LanguageModelNet net;
  private final Vocabulary vocab;
  private final Tokenizer tokenizer;

  LanguageModel(Path directory, ModelConfig config, LanguageModelNet net, Vocabulary vocab,
                Tokenizer tokenizer) {
    this.directory = directory;
    this.config = config;
    this.net = net;
    this.vocab = vocab;
    this.tokenizer = tokenizer;
  }

  /**
   * Loads and verifies a model directory written by {@link LanguageModelTrainer}.
   *
   * @throws java.nio.file.NoSuchFileException when the directory or one of its files is missing
   * @throws FormatException when a file is corrupt, of a newer format, or does not fit the others
   */
  public static LanguageModel load(Path dir) throws IOException {
    ModelDirectory.Contents c = ModelDirectory.load(dir, LanguageModelTask.NAME);
    ModelConfig cfg = c.config();
    Path configFile = dir.resolve(ModelDirectory.CONFIG);
    NetConfig arch = cfg.network();
    Tokenizer tokenizer;
    try {
      tokenizer = Tokenizer.named(cfg.tokenizer());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new FormatException(configFile + ": invalid: " + e.getMessage());
    }
    if (c.vocabulary().size() != arch.vocabulary() || arch.classes() != arch.vocabulary()) {
      throw new FormatException(dir.resolve(ModelDirectory.VOCAB) + ": has " + c.vocabulary().size()
          + " tokens but the model has " + arch.vocabulary() + " (config.json model.vocabulary)");
    }
    LanguageModelNet net;
    try {
      net = new LanguageModelNet(arch);
    } catch (IllegalArgumentException e) {
      throw new FormatException(configFile + ": invalid: " + e.getMessage());
    }
    c.loadInto(net.parameters());
    return new LanguageModel(dir, cfg, net, c.vocabulary(), tokenizer);
  }

  public Path directory() {
    return directory;
  }

  /** The parsed config.json. */
  public ModelConfig config() {
    return config;
  }

  public NetConfig architecture() {
    return net.config();
  }

  public Vocabulary vocabulary() {
    return vocab;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** Tensor shapes by PyTorch name, in state_dict order. */
  public Map<String, int[]> parameterShapes() {
    return net.parameters().shapes();
  }

  public long parameterCount() {
    return net.parameters().size();
  }

  LanguageModelNet net() {
    return net;
  }

  /** Token ids of a text; tokens the vocabulary lacks become {@code <unk>}. */
  public int[] encode(String text) {
    return vocab.encode(tokenizer.tokenize(text));
  }

  /** The text of a token as generation prints it (a word token comes with a space before it). */
  public String decode(int id) {
    String t = vocab.token(id);
    return tokenizer.name().equals("char") ? t : " " + t;
  }

  /** Ids a sampler must never emit: {@code <unk>} and {@code <pad>}. */
  public int[] specialIds() {
    return new int[] {vocab.unknownId(), vocab.paddingId()};
  }

  /** A random sampler over this vocabulary that never emits the special tokens. */
  public Sampler sampler(double temperature, int topK, double topP, long seed) {
    return Sampler.random(temperature, topK, topP, seed, vocab.size(), specialIds());
  }

  /** The greedy sampler over this vocabulary that never emits the special tokens. */
  public Sampler greedySampler() {
    return Sampler.greedy(vocab.size(), specialIds());
  }

  /** Loss and bits per character on a text (unknown tokens count as {@code <unk>}). */
  public LanguageModelEvaluation evaluate(String text) {
    List<String> tokens = tokenizer.tokenize(text);
    if (tokens.size() < 2) {
      throw new IllegalArgumentException("the text has " + tokens.size()
          + " token(s); evaluation needs at least 2 (one to read, one to predict)");
    }
    int[] ids = vocab.encode(tokens);
    long unknown = 0;
    for (String t : tokens) {
      unknown += vocab.contains(t) ? 0 : 1;
    }
    return new LanguageModelEvaluation(totalLoss(net, net.newWorkspace(), ids), ids.length - 1,
        predictedChars(tokens, tokenizer), unknown);
  }

  /**
   * Characters of every token but the first (the predicted ones), the bits-per-character
   * denominator; a word token counts the space before it too.
   */
  static long predictedChars(List<String> tokens, Tokenizer tokenizer) {
    boolean words = !tokenizer.name().equals("char");
    long chars = 0;
    for (int i = 1; i < tokens.size(); i++) {
      String t = tokens.get(i);
      chars += t.codePointCount(0, t.length()) + (words ? 1 : 0);
    }
    return chars;
  }

  /**
   * Sum of the cross-entropy (nats) of predicting ids[1..] from the ids before, read as one stream
   * in windows of {@link #EVAL_WINDOW} with the state carried, as torch_charlm.py evaluates.
   */
  static double totalLoss(LanguageModelNet net, LanguageModelNet.Workspace ws, int[] ids) {
    LanguageModelNet.State state = net.newState(1);
    int n = ids.length - 1;
    int[] x = new int[EVAL_WINDOW];
    int[] y = new int[EVAL_WINDOW];
    double total = 0;
    for (int t = 0; t < n; t += EVAL_WINDOW) {
      int len = Math.min(EVAL_WINDOW, n - t);
      System.arraycopy(ids, t, x, 0, len);
      System.arraycopy(ids, t + 1, y, 0, len);
      net.forward(ws, x, 1, len, state, false, null);
      total += net.evaluationLoss(ws, y) * len;
    }
    return total;
  }

  /**
   * Feeds the prime, then samples {@code length} tokens, handing each one's text to sink as soon as
   * it is chosen. Returns the generated text (without the prime).
   *
   * @param prime text to start from; empty starts from a line break (or the first ordinary token)
   * @throws IllegalArgumentException when the prime holds tokens the model never saw, or length < 0
   */
  public String generate(String prime, int length, Sampler sampler, Consumer<String> sink) {
    if (length < 0) {
      throw new InvalidSettingException("{length} must be >= 0, got " + length);
    }
    int[] start = encodePrime(prime);
    Session s = newSession(1);
    float[] logits = s.feed(start);
    StringBuilder out = new StringBuilder();
    int[] one = new int[1];
    for (int i = 0; i < length; i++) {
      int id = sampler.sample(logits, 0);
      String text = decode(id);
      out.append(text);
      sink.accept(text);
      one[0] = id;
      logits = s.step(one);
    }
    return out.toString();
  }

  /**
   * The ids generation starts from: a line break, then the prime's tokens. A model trained with
   * carried state has rarely seen the zero state, and the first characters it reads from it come
   * out garbled ("ROMEO:" alone is continued with junk); after a line break it is where a speech or
   * paragraph starts. Models without a line-break token start from the prime alone (or, with no
   * prime, from their first ordinary token).
   *
   * @throws IllegalArgumentException naming the prime's tokens that the model never saw
   */
  public int[] encodePrime(String prime) {
    int nl = vocab.contains("\n") ? vocab.id("\n") : -1;
    if (prime == null || prime.isEmpty()) {
      if (nl < 0) {
        for (int i = 0; i < vocab.size() && nl < 0; i++) {
          if (i != vocab.unknownId() && i != vocab.paddingId()) {
            nl = i;
          }
        }
      }
      return new int[] {nl};
    }
    List<String> tokens = tokenizer.tokenize(prime);
    if (tokens.isEmpty()) {
      throw new InvalidSettingException("{prime} has no tokens for the " + tokenizer.name() + " tokenizer");
    }
    List<String> unknown = new ArrayList<>();
    for (String t : tokens) {
      if (!vocab.contains(t) && !unknown.contains(t)) {
        unknown.add(t);
      }
    }
    if (!unknown.isEmpty()) {
      StringBuilder b = new StringBuilder();
      for (String t : unknown.subList(0, Math.min(5, unknown.size()))) {
        b.append(b.length() == 0 ? "" : ", ").append(describe(t));
      }
      throw new InvalidSettingException("{prime} contains " + b + (unknown.size() > 5 ? " and more" : "")
          + ", which the model never saw in training");
    }
    int[] ids = vocab.encode(tokens);
    if (nl < 0 || ids[0] == nl) {
      return ids;
    }
    int[] withBreak = new int[ids.length + 1];
    withBreak[0] = nl;
    System.arraycopy(ids, 0, withBreak, 1, ids.length);
    return withBreak;
  }

  private static String describe(String t) {
    if (t.codePointCount(0, t.length()) == 1) {
      int c = t.codePointAt(0);
      return String.format("'%s' (U+%04X)", Character.isISOControl(c) ? "?" : t, c);
    }
    return "'" + t + "'";
  }

  /** A fresh recurrent state for {@code batch} independent streams. */
  public Session newSession(int batch) {
    return new Session(net, batch);
  }

  /**
   * Step-by-step inference over B streams: feed one token per stream, get the next-token logits,
   * keep the state. Not thread-safe; one session per caller.
   */
  public static final class Session {
    private final LanguageModelNet net;
    private final LanguageModelNet.Workspace ws;
    private final LanguageModelNet.State state;

    Session(LanguageModelNet net, int batch) {
      this.net = net;
      this.ws = net.newWorkspace();
      this.state = net.newState(batch);
    }

    public int batch() {
      return state.batch();
    }

    /** Feeds tokens (B), one per stream; returns logits (B, V), valid until the next call. */
    public float[] step(int[] tokens) {
      return net.step(ws, tokens, state);
    }

    /** Feeds a sequence to stream 0 of a one-stream session; returns the logits after its last token. */
    public float[] feed(int[] tokens) {
      if (state.batch() != 1) {
        throw new IllegalStateException("feed is for one stream; use step with " + state.batch() + " tokens");
      }
      if (tokens.length == 0) {
        throw new IllegalArgumentException("nothing to feed");
      }
      float[] logits = net.forward(ws, tokens, 1, tokens.length, state, false, null);
      int v = net.vocabulary();
      return java.util.Arrays.copyOfRange(logits, (tokens.length - 1) * v, tokens.length * v);
    }

    /** Next-token probabilities of stream b from logits returned by step or feed. */
    public float[] probabilities(float[] logits, int b) {
      int v = net.vocabulary();
      float[] p = new float[v];
      SoftmaxCrossEntropy.softmax(logits, b * v, v, p, 0);
      return p;
    }

    /** Back to the empty state. */
    public void reset() {
      state.reset();
    }
  }
}
