package org.rnn4j.translate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.rnn4j.io.FormatException;
import org.rnn4j.math.Parallel;
import org.rnn4j.network.BeamSearch;
import org.rnn4j.network.Seq2SeqConfig;
import org.rnn4j.network.Seq2SeqNet;
import org.rnn4j.persist.ModelConfig;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.text.Tokenizer;
import org.rnn4j.text.Vocabulary;

/**
 * A trained translation model: source text in, target text out, by greedy decoding or beam search.
 * Thread-safe: every call encodes and decodes with its own buffers and only reads the weights.
 *
 * <pre>{@code
 * Translator t = Translator.load(Path.of("de-en"));
 * String english = t.translate("Mein Geld ist alle.");
 * List<Translator.Translation> beam = t.translate(List.of("Guten Morgen.", "Danke."), DecodeOptions.beam(5));
 * }</pre>
 *
 * <p>A source is tokenized with the model's tokenizer, unknown tokens become {@code <unk>}, and a
 * source longer than the model's {@code max_length} is cut to it (as in training), which
 * {@link Translation#truncated} reports.
 */
public final class Translator {
  public static final String TASK = ModelConfig.TRANSLATION;
  /** Sentences decoded together. */
  static final int CHUNK = 64;
  static final String BOS = "<bos>";
  static final String EOS = "<eos>";

  private final Path dir;
  private final ModelConfig config;
  private final Seq2SeqNet net;
  private final Vocabulary source;
  private final Vocabulary target;
  private final Tokenizer tokenizer;
  private final int maxLength;
  /**
   * Decoding buffers of earlier calls (tens of megabytes each over a large vocabulary), taken by
   * one thread at a time: at most as many as translations ran at once.
   */
  private final ConcurrentLinkedQueue<Seq2SeqNet.Decoding> idle = new ConcurrentLinkedQueue<>();

  Translator(Path dir, ModelConfig config, Seq2SeqNet net, Vocabulary source, Vocabulary target, Tokenizer tokenizer,
             int maxLength) {
    this.dir = dir;
    this.config = config;
    this.net = net;
    this.source = source;
    this.target = target;
    this.tokenizer = tokenizer;
    this.maxLength = maxLength;
  }

  /**
   * Loads and verifies a translation model directory.
   *
   * @throws java.nio.file.NoSuchFileException when the directory or a file is missing
   * @throws FormatException naming the file when one is corrupt or does not match config.json
   */
  public static Translator load(Path dir) throws IOException {
    ModelDirectory.Contents c = ModelDirectory.load(dir, TASK);
    ModelConfig cfg = c.config();
    Path configFile = dir.resolve(ModelDirectory.CONFIG);
    Seq2SeqConfig arch = cfg.translation();
    Tokenizer tokenizer;
    try {
      tokenizer = Tokenizer.named(cfg.tokenizer());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new FormatException(configFile + ": invalid: " + e.getMessage());
    }
    checkSize(dir.resolve(ModelDirectory.VOCAB), c.vocabulary(), arch.sourceVocabulary(), "source_vocabulary");
    checkSize(dir.resolve(ModelDirectory.TARGET_VOCAB), c.targetVocabulary(), arch.targetVocabulary(),
        "target_vocabulary");
    for (String special : List.of(BOS, EOS)) {
      if (!c.targetVocabulary().contains(special)) {
        throw new FormatException(dir.resolve(ModelDirectory.TARGET_VOCAB) + ": has no " + special + " token");
      }
    }
    Seq2SeqNet net = new Seq2SeqNet(arch);
    c.loadInto(net.parameters());
    int maxLength = cfg.maxLength() == null || cfg.maxLength() <= 0 ? Integer.MAX_VALUE : cfg.maxLength();
    return new Translator(dir, cfg, net, c.vocabulary(), c.targetVocabulary(), tokenizer, maxLength);
  }

  private static void checkSize(Path file, Vocabulary v, int expected, String key) throws FormatException {
    if (v.size() != expected) {
      throw new FormatException(file + ": has " + v.size() + " tokens but the model has " + expected
          + " (config.json model." + key + ")");
    }
  }

  public Path directory() {
    return dir;
  }

  public ModelConfig config() {
    return config;
  }

  public Vocabulary sourceVocabulary() {
    return source;
  }

  public Vocabulary targetVocabulary() {
    return target;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** Sources are cut to this many tokens (Integer.MAX_VALUE: no limit). */
  public int maxLength() {
    return maxLength;
  }

  /** Each weight tensor's shape by PyTorch name. */
  public Map<String, int[]> parameterShapes() {
    return net.parameters().shapes();
  }

  public long parameterCount() {
    return net.parameters().size();
  }

  Seq2SeqNet net() {
    return net;
  }

  /**
   * One translated sentence.
   *
   * @param text         the output detokenized (see {@link #detokenize})
   * @param tokens       the output tokens, without eos
   * @param sourceTokens the source tokens the model read, after truncation ({@code <unk>} for unknown ones)
   * @param score        Σ log p of the output, eos included when emitted
   * @param finished     whether the model ended the sentence (else the length limit did)
   * @param attention    per output token (and the eos, when finished) the weights over sourceTokens
   * @param truncated    whether the source was longer than the model's max_length
   */
  public record Translation(String text, List<String> tokens, List<String> sourceTokens, double score,
                            boolean finished, float[][] attention, boolean truncated) {
    /**
     * The JSON object of {@code rnn4j translate --json} and the server's translate route:
     * translation, tokens, source_tokens, score, finished, truncated, and the attention matrix when
     * asked.
     */
    public Map<String, Object> toJson(boolean withAttention) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("translation", text);
      m.put("tokens", tokens);
      m.put("source_tokens", sourceTokens);
      m.put("score", score);
      m.put("finished", finished);
      m.put("truncated", truncated);
      if (withAttention) {
        List<List<Double>> rows = new ArrayList<>(attention.length);
        for (float[] row : attention) {
          List<Double> r = new ArrayList<>(row.length);
          for (float w : row) {
            r.add((double) w);
          }
          rows.add(r);
        }
        m.put("attention", rows);
      }
      return m;
    }
  }

  /** The greedy translation of one sentence. */
  public String translate(String text) {
    return translate(List.of(text), DecodeOptions.greedy()).get(0).text();
  }

  public Translation translate(String text, DecodeOptions options) {
    return translate(List.of(text), options).get(0);
  }

  /**
   * Translates the texts in chunks of {@link #CHUNK}, returned in order. With more than one chunk,
   * the threads take whole chunks, each decoded on one thread: a chunk's per-step work (attention
   * rows, a few hundred rows of the output layer, the candidate lists) is too small to split across
   * threads without most of a step going to hand-offs. Every sentence's result is the same whichever
   * thread decodes it and whatever else is in its chunk.
   *
   * @throws IllegalArgumentException naming the first text that is empty or has no tokens
   */
  public List<Translation> translate(List<String> texts, DecodeOptions options) {
    List<List<String>> tokens = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      List<String> t = tokenizer.tokenize(texts.get(i));
      if (t.isEmpty() || texts.get(i).isBlank()) {
        throw new IllegalArgumentException("text " + (i + 1) + " has no tokens (it is empty or blank)");
      }
      tokens.add(t);
    }
    int chunks = (texts.size() + CHUNK - 1) / CHUNK;
    // Largest chunks first (source tokens), so that no thread is left with a big one at the end.
    Integer[] order = new Integer[chunks];
    long[] size = new long[chunks];
    for (int c = 0; c < chunks; c++) {
      order[c] = c;
      for (int i = c * CHUNK; i < Math.min(texts.size(), (c + 1) * CHUNK); i++) {
        size[c] += Math.min(tokens.get(i).size(), maxLength);
      }
    }
    Arrays.sort(order, (x, y) -> size[x] != size[y] ? Long.compare(size[y], size[x]) : Integer.compare(x, y));
    @SuppressWarnings("unchecked")
    List<Translation>[] done = new List[chunks];
    AtomicInteger next = new AtomicInteger();
    Parallel.run(Math.min(chunks, Parallel.threads()), (part, parts) -> {
      Seq2SeqNet.Decoding buffers = idle.poll(); // this thread's, chunk after chunk
      if (buffers == null) {
        buffers = net.newDecoding();
      }
      try {
        for (int q = next.getAndIncrement(); q < chunks; q = next.getAndIncrement()) {
          int c = order[q];
          int from = c * CHUNK;
          done[c] = decode(tokens.subList(from, Math.min(texts.size(), from + CHUNK)), options, buffers);
        }
      } finally {
        idle.add(buffers);
      }
    });
    List<Translation> out = new ArrayList<>(texts.size());
    for (List<Translation> d : done) {
      out.addAll(d);
    }
    return out;
  }

  /** Decodes tokenized sources (each non-empty) together. */
  List<Translation> decode(List<List<String>> sources, DecodeOptions options, Seq2SeqNet.Decoding buffers) {
    List<int[]> ids = new ArrayList<>(sources.size());
    boolean[] truncated = new boolean[sources.size()];
    for (int i = 0; i < sources.size(); i++) {
      ids.add(encodeSource(sources.get(i)));
      truncated[i] = sources.get(i).size() > maxLength;
    }
    return decodeIds(ids, truncated, options, buffers);
  }

  /** Decodes encoded sources (each non-empty) together in the given buffers. */
  List<Translation> decodeIds(List<int[]> ids, boolean[] truncated, DecodeOptions options,
                              Seq2SeqNet.Decoding buffers) {
    int b = ids.size();
    int[] lengths = new int[b];
    int[] maxOut = new int[b];
    int steps = 1;
    for (int i = 0; i < b; i++) {
      lengths[i] = ids.get(i).length;
      maxOut[i] = options.maxOutput(lengths[i]);
      steps = Math.max(steps, lengths[i]);
    }
    int[] batch = new int[b * steps];
    for (int i = 0; i < b; i++) {
      System.arraycopy(ids.get(i), 0, batch, i * steps, lengths[i]);
    }
    int bos = target.id(BOS);
    int eos = target.id(EOS);
    List<BeamSearch.Hypothesis> hyps = options.beam() == 1
        ? BeamSearch.greedy(net, buffers, batch, lengths, steps, bos, eos, maxOut)
        : BeamSearch.beam(net, buffers, batch, lengths, steps, bos, eos, maxOut, options.beam(),
            options.lengthPenalty());
    List<Translation> out = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      BeamSearch.Hypothesis h = hyps.get(i);
      List<String> words = new ArrayList<>(h.tokens().length);
      for (int id : h.tokens()) {
        words.add(target.token(id));
      }
      List<String> read = new ArrayList<>(lengths[i]);
      for (int k = 0; k < lengths[i]; k++) {
        read.add(source.token(ids.get(i)[k]));
      }
      int rows = h.attention().length / h.sourceSteps();
      float[][] attention = new float[rows][];
      for (int r = 0; r < rows; r++) {
        attention[r] = Arrays.copyOfRange(h.attention(), r * h.sourceSteps(), r * h.sourceSteps() + lengths[i]);
      }
      out.add(new Translation(detokenize(words, tokenizer.name()), words, read, h.score(), h.finished(), attention,
          truncated[i]));
    }
    return out;
  }

  /** Source ids, cut to max_length, unknown tokens as {@code <unk>}. */
  int[] encodeSource(List<String> tokens) {
    int n = Math.min(tokens.size(), maxLength);
    return source.encode(tokens.subList(0, n));
  }

  /**
   * Joins output tokens into text as the tokenizer split it: characters as they are, white-space
   * tokens with single spaces, word tokens by {@link #detokenize(List)}.
   */
  public static String detokenize(List<String> tokens, String tokenizer) {
    return switch (tokenizer) {
      case "char" -> String.join("", tokens);
      case "whitespace" -> String.join(" ", tokens);
      default -> detokenize(tokens);
    };
  }

  /**
   * Joins word tokens into text: a space between tokens except before closing punctuation
   * ({@code . , ! ? ; : ) ] } %}), after opening brackets, around an apostrophe or hyphen between
   * two word tokens ("don ' t" → "don't"), and inside pairs of straight double quotes; the first
   * letter is capitalised, since the word tokenizer lower-cases. Heuristic English rules: the
   * {@code bleu_13a} of {@code eval-seq2seq} scores this text against the raw references.
   */
  public static String detokenize(List<String> tokens) {
    StringBuilder b = new StringBuilder();
    boolean noSpaceNext = true;
    boolean quoteOpen = false;
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      boolean closing = t.length() == 1 && ".,!?;:)]}%".indexOf(t.charAt(0)) >= 0;
      boolean joiner = (t.equals("'") || t.equals("-")) && i > 0 && i + 1 < tokens.size()
          && isWord(tokens.get(i - 1)) && isWord(tokens.get(i + 1));
      boolean quote = t.equals("\"");
      boolean space = !noSpaceNext && !closing && !joiner && !(quote && quoteOpen);
      if (space) {
        b.append(' ');
      }
      b.append(t);
      noSpaceNext = joiner || t.length() == 1 && "([{$#".indexOf(t.charAt(0)) >= 0 || quote && !quoteOpen;
      if (quote) {
        quoteOpen = !quoteOpen;
      }
    }
    if (b.length() > 0) {
      int c = b.codePointAt(0);
      b.replace(0, Character.charCount(c), new String(Character.toChars(Character.toTitleCase(c))));
    }
    return b.toString();
  }

  private static boolean isWord(String t) {
    return !t.isEmpty() && Character.isLetterOrDigit(t.codePointAt(0));
  }

  @Override
  public String toString() {
    Seq2SeqConfig a = config.translation();
    return String.format(Locale.ROOT, "translation model %s: %s %s attention, %d+%d tokens", dir, a.cell().id(),
        a.attention().id(), a.sourceVocabulary(), a.targetVocabulary());
  }
}
