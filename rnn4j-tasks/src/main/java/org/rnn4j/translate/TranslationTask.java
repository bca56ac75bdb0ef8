package org.rnn4j.translate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.io.FormatException;
import org.rnn4j.network.Seq2SeqConfig;
import org.rnn4j.network.Seq2SeqNet;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.optim.Optimizer;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.persist.ModelConfig;
import org.rnn4j.persist.Provenance;
import org.rnn4j.random.PythonRandom;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;
import org.rnn4j.text.Tokenizer;
import org.rnn4j.text.Vocabulary;
import org.rnn4j.train.EpochScore;
import org.rnn4j.train.TrainingPlot;
import org.rnn4j.train.TrainingTask;

/**
 * Translation as a {@link TrainingTask}, torch_seq2seq.py's recipe: each epoch shuffles the
 * training pairs in place with Python's {@code random} seeded once (so epoch e's order is e
 * shuffles of the pairs), batches them in that order, and trains the encoder-decoder by teacher
 * forcing (or, for a share of batches, on its own predictions) with cross-entropy over the target
 * tokens and eos. After each epoch: the validation loss
 * and token accuracy (teacher-forced), and the BLEU of greedy translations (sacreBLEU,
 * tokenize="none", on the target tokens joined by spaces); the best epoch has the highest BLEU.
 */
final class TranslationTask implements TrainingTask {
  static final String NAME = ModelConfig.TRANSLATION;
  private static final String SOURCE_VOCAB = "source_vocab";
  private static final String TARGET_VOCAB = "target_vocab";
  private static final String LOSS_SUM = "loss_sum";
  private static final String TOKENS = "tokens";
  private static final String CORRECT = "correct";
  private static final String THROUGHPUT_TOKENS = "throughput_tokens";

  private final TranslationConfig cfg;
  private final Tokenizer tokenizer;
  private TranslationData data;
  private Seq2SeqNet net;
  private Seq2SeqNet.Workspace ws;
  private int[] order;
  private int orderEpoch;
  private PythonRandom shuffler;
  private final Batch batch = new Batch();
  // the epoch's running figures
  private double lossSum;
  private long tokens;
  private long correct;
  private long throughputTokens;
  private Seq2SeqNet.Loss lastLoss;

  TranslationTask(TranslationConfig cfg) {
    this.cfg = cfg;
    this.tokenizer = Tokenizer.named(cfg.tokenizer());
  }

  @Override public String name() { return NAME; }
  @Override public String modelNoun() { return "translation model"; }
  @Override public String scoreName() { return "validation BLEU"; }
  @Override public ParameterSet parameters() { return net.parameters(); }
  @Override public Vocabulary vocabulary() { return data.sourceVocab; }
  @Override public Vocabulary targetVocabulary() { return data.targetVocab; }
  @Override public String dataSha256() { return data.trainSha; }
  @Override public String validSha256() { return data.validSha; }
  @Override public int batchesPerEpoch() { return (data.train.size() + cfg.batch() - 1) / cfg.batch(); }
  @Override public long samplesPerEpoch() { return data.train.size(); }
  @Override public boolean hasValidation() { return !data.valid.isEmpty(); }
  @Override public double runningLoss() { return lossSum / Math.max(1, tokens); }
  @Override public double runningAccuracy() { return tokens == 0 ? Double.NaN : (double) correct / tokens; }

  @Override
  public long samplesDone(int batchesDone) {
    return Math.min(data.train.size(), (long) batchesDone * cfg.batch());
  }

  Seq2SeqConfig architecture(int sourceVocabulary, int targetVocabulary) {
    return new Seq2SeqConfig(cfg.cell(), sourceVocabulary, targetVocabulary, cfg.embed(), cfg.hidden(), cfg.layers(),
        cfg.bidirectional, cfg.attention, cfg.dropout(), cfg.tiedEmbeddings);
  }

  @Override
  public Runnable warmUp() {
    Seq2SeqNet small = new Seq2SeqNet(architecture(64, 64));
    small.initialize(TorchGenerator.seeded(7));
    Seq2SeqNet.Workspace w = small.newWorkspace();
    Rng rng = new Rng(11);
    int b = 8;
    int s = 12;
    int[] src = new int[b * s];
    int[] tgt = new int[b * s];
    int[] srcLen = new int[b];
    int[] tgtLen = new int[b];
    for (int i = 0; i < src.length; i++) {
      src[i] = rng.nextInt(64);
      tgt[i] = rng.nextInt(64);
    }
    for (int i = 0; i < b; i++) {
      srcLen[i] = 1 + rng.nextInt(s);
      tgtLen[i] = 1 + rng.nextInt(s);
    }
    return () -> {
      small.forward(w, src, srcLen, s, tgt, tgtLen, s, false, null);
      small.loss(w, tgt, 0f);
      small.backward(w);
      small.parameters().zeroGrad();
    };
  }

  @Override
  public void prepare(Map<String, Object> resumed) throws IOException {
    Vocabulary src = null;
    Vocabulary tgt = null;
    if (resumed != null) {
      src = Vocabulary.fromText((String) resumed.get(SOURCE_VOCAB), "checkpoint source vocabulary");
      tgt = Vocabulary.fromText((String) resumed.get(TARGET_VOCAB), "checkpoint target vocabulary");
      lossSum = ((Number) resumed.get(LOSS_SUM)).doubleValue();
      tokens = ((Number) resumed.get(TOKENS)).longValue();
      correct = ((Number) resumed.get(CORRECT)).longValue();
      throughputTokens = ((Number) resumed.get(THROUGHPUT_TOKENS)).longValue();
    }
    data = TranslationData.read(cfg, src, tgt);
    net = new Seq2SeqNet(architecture(data.sourceVocab.size(), data.targetVocab.size()));
    if (resumed == null) {
      net.initialize(TorchGenerator.seeded(cfg.seed()));
    }
    ws = net.newWorkspace();
  }

  @Override
  public String describeData() {
    return String.format(Locale.ROOT, "data: %,d training pairs (%,d longer than %d tokens left out), %,d validation "
            + "pairs; vocabularies %,d source and %,d target tokens", data.train.size(), data.leftOut, cfg.maxLength,
        data.valid.size(), data.sourceVocab.size(), data.targetVocab.size());
  }

  /** Epoch e's order: the pairs shuffled in place once per epoch since the first, as random.shuffle(data). */
  @Override
  public void beginEpoch(int epoch) {
    int n = data.train.size();
    if (order == null || orderEpoch >= epoch) {
      order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      shuffler = new PythonRandom(cfg.seed());
      orderEpoch = 0;
    }
    while (orderEpoch < epoch) {
      shuffler.shuffle(order, n);
      orderEpoch++;
    }
  }

  /** A padded batch: sources (B, S), bos + target (B, T), target + eos (B, T). */
  static final class Batch {
    int size;
    int sourceSteps;
    int targetSteps;
    int[] source = new int[0];
    int[] sourceLengths = new int[0];
    int[] targetIn = new int[0];
    int[] targetOut = new int[0];
    int[] targetLengths = new int[0];
    long tokens;

    void fill(List<TranslationData.Example> examples, int[] order, int from, int to, int pad, int bos, int eos) {
      size = to - from;
      sourceSteps = 1;
      targetSteps = 1;
      for (int i = from; i < to; i++) {
        TranslationData.Example e = examples.get(order[i]);
        sourceSteps = Math.max(sourceSteps, e.source().length);
        targetSteps = Math.max(targetSteps, e.target().length + 1);
      }
      source = ensure(source, size * sourceSteps);
      targetIn = ensure(targetIn, size * targetSteps);
      targetOut = ensure(targetOut, size * targetSteps);
      // Exactly B entries: the batch size is the length of these arrays.
      sourceLengths = sourceLengths.length == size ? sourceLengths : new int[size];
      targetLengths = targetLengths.length == size ? targetLengths : new int[size];
      java.util.Arrays.fill(source, 0, size * sourceSteps, pad);
      java.util.Arrays.fill(targetIn, 0, size * targetSteps, pad);
      java.util.Arrays.fill(targetOut, 0, size * targetSteps, pad);
      tokens = 0;
      for (int b = 0; b < size; b++) {
        TranslationData.Example e = examples.get(order[from + b]);
        int[] s = e.source();
        int[] t = e.target();
        System.arraycopy(s, 0, source, b * sourceSteps, s.length);
        targetIn[b * targetSteps] = bos;
        System.arraycopy(t, 0, targetIn, b * targetSteps + 1, t.length);
        System.arraycopy(t, 0, targetOut, b * targetSteps, t.length);
        targetOut[b * targetSteps + t.length] = eos;
        sourceLengths[b] = s.length;
        targetLengths[b] = t.length + 1;
        tokens += s.length + t.length + 1;
      }
    }

    private static int[] ensure(int[] a, int n) {
      return a.length >= n ? a : new int[n];
    }
  }

  @Override
  public double forward(int index, Rng dropout) {
    int from = index * cfg.batch();
    int to = Math.min(data.train.size(), from + cfg.batch());
    fill(batch, data.train, order, from, to);
    // Drawn only when some batches go without teacher forcing, so that the default draws nothing.
    boolean teacherForcing = cfg.teacherForcing >= 1f || dropout.nextFloat() < cfg.teacherForcing;
    net.forward(ws, batch.source, batch.sourceLengths, batch.sourceSteps, batch.targetIn, batch.targetLengths,
        batch.targetSteps, true, dropout, teacherForcing);
    lastLoss = net.loss(ws, batch.targetOut, cfg.labelSmoothing);
    return lastLoss.mean();
  }

  private void fill(Batch b, List<TranslationData.Example> examples, int[] ord, int from, int to) {
    Vocabulary t = data.targetVocab;
    b.fill(examples, ord, from, to, t.paddingId(), t.id(Translator.BOS), t.id(Translator.EOS));
  }

  @Override
  public void backward() {
    net.backward(ws);
  }

  @Override
  public void beforeUpdate(Optimizer optimizer) {
    // Only the embedding rows the batch used have gradients; the optimizer skips reading the rest.
    optimizer.gradientRows(net.parameters().require("src_emb.weight"), ws.touchedSourceRows().rows(),
        ws.touchedSourceRows().size());
    optimizer.gradientRows(net.parameters().require("tgt_emb.weight"), ws.touchedTargetRows().rows(),
        ws.touchedTargetRows().size());
  }

  @Override
  public void batchApplied(double loss) {
    lossSum += loss * lastLoss.tokens();
    tokens += lastLoss.tokens();
    correct += lastLoss.correct();
    throughputTokens += batch.tokens;
  }

  @Override
  public EpochScore evaluate(Map<String, Object> m) {
    m.put(EpochMetrics.TRAIN_LOSS, runningLoss());
    m.put(EpochMetrics.TRAIN_TOKEN_ACCURACY, runningAccuracy());
    if (!hasValidation()) {
      return EpochScore.ofLoss(runningLoss());
    }
    Translator translator = new Translator(null, null, net, data.sourceVocab, data.targetVocab, tokenizer,
        cfg.maxLength);
    Evaluation e = Evaluation.of(translator, data.valid, cfg.decodeOptions());
    m.put(EpochMetrics.VALID_LOSS, e.loss());
    m.put(EpochMetrics.VALID_TOKEN_ACCURACY, e.tokenAccuracy());
    m.put(EpochMetrics.VALID_BLEU, e.bleu());
    m.put(EpochMetrics.VALID_BLEU_13A, e.bleu13a());
    return new EpochScore(e.bleu(), e.loss());
  }

  @Override
  public Map<String, Long> throughputCounts() {
    return Map.of("tokens", throughputTokens, "samples", samplesDone(batchesPerEpoch()));
  }

  @Override
  public void endEpoch() {
    lossSum = 0;
    tokens = 0;
    correct = 0;
    throughputTokens = 0;
  }

  @Override
  public ModelConfig modelConfig(Map<String, Object> best, Provenance provenance) {
    return ModelConfig.ofTranslation(net.config(), tokenizer.name(), cfg.maxLength, cfg.toJson(), provenance, best);
  }

  @Override
  public Map<String, Object> checkpointState() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put(SOURCE_VOCAB, data.sourceVocab.toText());
    s.put(TARGET_VOCAB, data.targetVocab.toText());
    s.put(LOSS_SUM, lossSum);
    s.put(TOKENS, tokens);
    s.put(CORRECT, correct);
    s.put(THROUGHPUT_TOKENS, throughputTokens);
    return s;
  }

  @Override
  public List<TrainingPlot.Panel> plotPanels() {
    List<TrainingPlot.Panel> panels = new ArrayList<>();
    panels.add(new TrainingPlot.Panel("loss (nats per target token)",
        new String[] {EpochMetrics.TRAIN_LOSS, EpochMetrics.VALID_LOSS}, new String[] {"train", "valid"}));
    panels.add(new TrainingPlot.Panel("validation BLEU", new String[] {EpochMetrics.VALID_BLEU,
        EpochMetrics.VALID_BLEU_13A}, new String[] {"tokens", "13a"}));
    return panels;
  }

}
