package org.rnn4j.lm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.io.FormatException;
import org.rnn4j.network.LanguageModelNet;
import org.rnn4j.network.NetConfig;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.persist.ModelConfig;
import org.rnn4j.persist.Provenance;
import org.rnn4j.persist.Sha256;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;
import org.rnn4j.text.DataException;
import org.rnn4j.text.TextFile;
import org.rnn4j.text.Tokenizer;
import org.rnn4j.text.Vocabulary;
import org.rnn4j.train.EpochScore;
import org.rnn4j.train.TrainingPlot;
import org.rnn4j.train.TrainingTask;

/**
 * Language modelling as a {@link TrainingTask}, trained by truncated backpropagation through time
 * as char-rnn and ../shared/bench/torch_charlm.py do: the training text is cut into B parallel
 * streams, each epoch walks them in windows of T steps (a last partial window is dropped), and the
 * recurrent state is carried from one window to the next without gradient. After each epoch:
 * validation loss and bits per character, and a sample; the best epoch has the lowest validation
 * loss.
 */
final class LanguageModelTask implements TrainingTask {
  static final String NAME = "language_model";
  private static final String VOCAB = "vocab";
  private static final String LOSS_SUM = "loss_sum";
  private static final String LOSS_COUNT = "loss_count";
  private static final String LAST_SAMPLE = "last_sample";
  private static final String STATE_H = "state.h";
  private static final String STATE_C = "state.c";

  private final LanguageModelConfig cfg;
  private final Path out;
  private final Tokenizer tokenizer;
  private Vocabulary vocab;
  private int[] trainIds;
  private int[] validIds;
  private long validChars;
  private String dataSha;
  private String validSha;
  private int streamLength;
  private int windows;
  private LanguageModelNet net;
  private LanguageModelNet.Workspace ws;
  private LanguageModelNet.State carried;
  private int[] x;
  private int[] y;
  // the epoch's running figures
  private double lossSum;
  private long lossCount;
  private String lastSample = "";

  LanguageModelTask(LanguageModelConfig cfg, Path out) {
    this.cfg = cfg;
    this.out = out;
    this.tokenizer = Tokenizer.named(cfg.tokenizer());
  }

  @Override public String name() { return NAME; }
  @Override public String modelNoun() { return "language model"; }
  @Override public String batchNoun() { return "window"; }
  @Override public String scoreName() { return hasValidation() ? "validation loss" : "training loss"; }
  @Override public ParameterSet parameters() { return net.parameters(); }
  @Override public Vocabulary vocabulary() { return vocab; }
  @Override public String dataSha256() { return dataSha; }
  @Override public String validSha256() { return validSha; }
  @Override public int batchesPerEpoch() { return windows; }
  @Override public long samplesPerEpoch() { return (long) windows * cfg.batch() * cfg.seqLength; }
  @Override public boolean hasValidation() { return validIds.length >= 2; }
  @Override public long samplesDone(int batchesDone) { return (long) batchesDone * cfg.batch() * cfg.seqLength; }
  @Override public double runningLoss() { return lossSum / Math.max(1, lossCount); }

  @Override
  public Runnable warmUp() {
    return LanguageModelNet.warmUpTask(architecture(64));
  }

  private NetConfig architecture(int vocabulary) {
    return NetConfig.builder().cell(cfg.cell()).vocabulary(vocabulary).classes(vocabulary).embed(cfg.embed())
        .hidden(cfg.hidden()).layers(cfg.layers()).dropout(cfg.dropout()).build();
  }

  @Override
  public void prepare(Map<String, Object> resumed) throws IOException {
    byte[] bytes = readBytes(cfg.data(), "{data}");
    dataSha = Sha256.of(bytes);
    String text = TextFile.decode(bytes, cfg.data());
    String train;
    String valid;
    if (cfg.valid() != null) {
      byte[] vb = readBytes(cfg.valid(), "{valid}");
      validSha = Sha256.of(vb);
      valid = TextFile.decode(vb, cfg.valid());
      train = text;
    } else if (cfg.validFraction() > 0) {
      // the validation text is the end of the training text
      int cut = text.offsetByCodePoints(0, (int) Math.round(text.codePointCount(0, text.length())
          * (1 - cfg.validFraction())));
      train = text.substring(0, cut);
      valid = text.substring(cut);
    } else {
      train = text;
      valid = "";
    }
    if (train.isBlank()) {
      throw new DataException(cfg.data(), 0, "the text is empty");
    }
    List<String> trainTokens = tokenizer.tokenize(train);
    vocab = resumed == null ? buildVocabulary(trainTokens, cfg)
        : Vocabulary.fromText((String) resumed.get(VOCAB), out + " (checkpoint vocab)");
    encode(trainTokens, valid);
    net = new LanguageModelNet(architecture(vocab.size()));
    if (resumed == null) {
      net.initialize(TorchGenerator.seeded(cfg.seed()));
    } else {
      lossSum = ((Number) resumed.get(LOSS_SUM)).doubleValue();
      lossCount = ((Number) resumed.get(LOSS_COUNT)).longValue();
      lastSample = resumed.get(LAST_SAMPLE) instanceof String s ? s : "";
    }
    ws = net.newWorkspace();
    carried = net.newState(cfg.batch());
    x = new int[cfg.batch() * cfg.seqLength];
    y = new int[cfg.batch() * cfg.seqLength];
  }

  private static byte[] readBytes(Path file, String setting) throws IOException {
    TextFile.requireFile(file, setting);
    return Files.readAllBytes(file);
  }

  /**
   * Characters: {@code <unk>} then every character of the training text in code point order
   * (torch_charlm.py's vocabulary). Word tokenizers: {@code <unk>} then by frequency, as the
   * classifier's vocabulary.
   */
  static Vocabulary buildVocabulary(List<String> tokens, LanguageModelConfig cfg) {
    if (cfg.tokenizer().equals("char") && cfg.minFreq() == 1 && cfg.maxVocab() == 0) {
      return Vocabulary.sorted(List.of(Vocabulary.UNK), tokens);
    }
    return Vocabulary.builder().add(tokens).build(List.of(Vocabulary.UNK), cfg.minFreq(), cfg.maxVocab());
  }

  private void encode(List<String> trainTokens, String valid) throws DataException {
    trainIds = vocab.encode(trainTokens);
    List<String> vt = tokenizer.tokenize(valid);
    validIds = vocab.encode(vt);
    validChars = LanguageModel.predictedChars(vt, tokenizer);
    streamLength = (trainIds.length - 1) / cfg.batch();
    windows = streamLength >= cfg.seqLength ? (streamLength - cfg.seqLength) / cfg.seqLength + 1 : 0;
    if (windows == 0) {
      throw new DataException(cfg.data(), 0, String.format(Locale.ROOT,
          "the text has %,d tokens, too few for {batch} %d streams of {seqLength} %d (needs at least %,d)",
          trainIds.length, cfg.batch(), cfg.seqLength, (long) cfg.batch() * cfg.seqLength + 1));
    }
  }

  @Override
  public String describeData() {
    return String.format(Locale.ROOT,
        "data: %,d training and %,d validation tokens, vocabulary %d; %d streams of %,d, %d windows of %d per epoch",
        trainIds.length, validIds.length, vocab.size(), cfg.batch(), streamLength, windows, cfg.seqLength);
  }

  @Override
  public void beginEpoch(int epoch) {}

  @Override
  public double forward(int window, Rng dropout) {
    int t = cfg.seqLength;
    for (int r = 0; r < cfg.batch(); r++) {
      int from = r * streamLength + window * t;
      System.arraycopy(trainIds, from, x, r * t, t);
      System.arraycopy(trainIds, from + 1, y, r * t, t);
    }
    net.forward(ws, x, cfg.batch(), t, carried, true, dropout);
    return net.loss(ws, y);
  }

  @Override
  public void backward() {
    net.backward(ws);
  }

  @Override
  public void batchApplied(double loss) {
    lossSum += loss;
    lossCount++;
  }

  @Override
  public void batchSkipped() {
    // The carried state came out of the same bad arithmetic; start the streams afresh.
    carried.reset();
  }

  @Override
  public EpochScore evaluate(Map<String, Object> m) {
    double trainLoss = runningLoss();
    m.put(EpochMetrics.TRAIN_LOSS, trainLoss);
    if (tokenizer.name().equals("char")) {
      m.put(EpochMetrics.TRAIN_BITS_PER_CHAR, trainLoss / Math.log(2));
    }
    if (!hasValidation()) {
      return EpochScore.ofLoss(trainLoss);
    }
    double total = LanguageModel.totalLoss(net, net.newWorkspace(), validIds);
    double validLoss = total / (validIds.length - 1);
    m.put(EpochMetrics.VALID_LOSS, validLoss);
    m.put(EpochMetrics.VALID_BITS_PER_CHAR, total / Math.log(2) / validChars);
    m.put(EpochMetrics.VALID_PERPLEXITY, Math.exp(validLoss));
    return EpochScore.ofLoss(validLoss);
  }

  @Override
  public Map<String, Long> throughputCounts() {
    return Map.of("chars", lossCount * cfg.batch() * cfg.seqLength);
  }

  @Override
  public void describeEpoch(int epoch, Map<String, Object> m) {
    if (cfg.sampleLength > 0) {
      LanguageModel lm = new LanguageModel(out, null, net, vocab, tokenizer);
      lastSample = lm.generate("", cfg.sampleLength, lm.sampler(cfg.sampleTemperature, 0, 1, cfg.seed() + epoch),
          s -> { });
      m.put(EpochMetrics.SAMPLE, lastSample);
    }
  }

  @Override
  public void endEpoch() {
    lossSum = 0;
    lossCount = 0;
    // A new epoch starts the streams from their beginnings, so from a zero state (as torch_charlm.py).
    carried.reset();
  }

  @Override
  public ModelConfig modelConfig(Map<String, Object> best, Provenance provenance) {
    return new ModelConfig(NAME, net.config(), null, tokenizer.name(), null, cfg.toJson(), provenance, best);
  }

  @Override
  public Map<String, Object> checkpointState() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put(VOCAB, vocab.toText());
    s.put(LOSS_SUM, lossSum);
    s.put(LOSS_COUNT, lossCount);
    s.put(LAST_SAMPLE, lastSample);
    return s;
  }

  @Override
  public Map<String, float[]> checkpointTensors() {
    Map<String, float[]> t = new LinkedHashMap<>();
    t.put(STATE_H, carried.hidden());
    if (carried.cell() != null) {
      t.put(STATE_C, carried.cell());
    }
    return t;
  }

  @Override
  public void restoreTensors(Map<String, float[]> tensors, String file) throws FormatException {
    restore(tensors, STATE_H, carried.hidden(), file);
    if (carried.cell() != null) {
      restore(tensors, STATE_C, carried.cell(), file);
    }
  }

  private static void restore(Map<String, float[]> tensors, String name, float[] into, String file)
      throws FormatException {
    float[] v = tensors.get(name);
    if (v == null || v.length != into.length) {
      throw new FormatException(file + ": checkpoint tensor extra." + name + " is missing or has the wrong size");
    }
    System.arraycopy(v, 0, into, 0, v.length);
  }

  @Override
  public List<TrainingPlot.Panel> plotPanels() {
    return List.of(
        new TrainingPlot.Panel("loss (nats per token)", new String[] {EpochMetrics.TRAIN_LOSS, EpochMetrics.VALID_LOSS},
            new String[] {"train", "valid"}),
        new TrainingPlot.Panel("bits per character",
            new String[] {EpochMetrics.TRAIN_BITS_PER_CHAR, EpochMetrics.VALID_BITS_PER_CHAR},
            new String[] {"train", "valid"}));
  }

  @Override
  public String plotCaption(int epoch) {
    return lastSample.isEmpty() ? null : "sample after epoch " + epoch + ":\n" + lastSample;
  }
}
