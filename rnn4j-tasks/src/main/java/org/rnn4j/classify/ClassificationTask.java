package org.rnn4j.classify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.io.FormatException;
import org.rnn4j.network.ClassifierNet;
import org.rnn4j.network.NetConfig;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.optim.Adam;
import org.rnn4j.optim.Optimizer;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.persist.ModelConfig;
import org.rnn4j.persist.Provenance;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;
import org.rnn4j.text.Batch;
import org.rnn4j.text.LabeledText;
import org.rnn4j.text.Tokenizer;
import org.rnn4j.text.Vocabulary;
import org.rnn4j.train.EpochScore;
import org.rnn4j.train.TrainingListener;
import org.rnn4j.train.TrainingPlot;
import org.rnn4j.train.TrainingTask;

/**
 * Text classification as a {@link TrainingTask}: batches of labelled texts in the epoch's example
 * order, cross-entropy over the classes, and after each epoch the validation loss, accuracy and
 * macro-F1; the best epoch is the one with the highest validation accuracy (ties: lower loss).
 */
final class ClassificationTask implements TrainingTask {
  static final String NAME = "classification";
  private static final String IN_MEMORY = "in_memory";
  private static final String CLASSES = "classes";
  private static final String VOCAB = "vocab";

  private final TrainingConfig cfg;
  private final Path out;
  private final List<LabeledText> trainInMemory;
  private final List<LabeledText> validInMemory;
  private final TrainingListener messages;
  private final Tokenizer tokenizer;
  private ClassificationData data;
  private ClassifierNet net;
  private ClassifierNet.Workspace ws;
  private ClassifierNet.Workspace evalWs;
  private ExampleOrder examples;
  private int[] order;
  private Batch batch;
  private float[] logits;
  private final EpochFigures figures = new EpochFigures();

  ClassificationTask(TrainingConfig cfg, Path out, List<LabeledText> train, List<LabeledText> valid,
                     TrainingListener messages) {
    this.cfg = cfg;
    this.out = out;
    this.trainInMemory = train;
    this.validInMemory = valid;
    this.messages = messages;
    this.tokenizer = Tokenizer.named(cfg.tokenizer());
  }

  @Override public String name() { return NAME; }
  @Override public String modelNoun() { return "classifier"; }
  @Override public String scoreName() { return "validation accuracy"; }
  @Override public ParameterSet parameters() { return net.parameters(); }
  @Override public Vocabulary vocabulary() { return data.vocab; }
  @Override public String dataSha256() { return data.trainSha; }
  @Override public String validSha256() { return data.validSha; }
  @Override public int batchesPerEpoch() { return (data.trainIds.length + cfg.batch() - 1) / cfg.batch(); }
  @Override public long samplesPerEpoch() { return data.trainIds.length; }
  @Override public boolean hasValidation() { return data.validIds.length > 0; }

  @Override
  public Runnable warmUp() {
    return ClassifierNet.warmUpTask(architecture(64, 4));
  }

  private NetConfig architecture(int vocabulary, int classes) {
    return NetConfig.builder().cell(cfg.cell()).vocabulary(vocabulary).embed(cfg.embed()).hidden(cfg.hidden())
        .layers(cfg.layers()).bidirectional(cfg.bidirectional).dropout(cfg.dropout()).pooling(cfg.pooling)
        .classes(classes).build();
  }

  @Override
  public void prepare(Map<String, Object> resumed) throws IOException {
    Vocabulary vocab = null;
    if (resumed != null) {
      if (Boolean.TRUE.equals(resumed.get(IN_MEMORY)) && trainInMemory == null) {
        throw new IllegalArgumentException("this run was trained from in-memory data; resume it with "
            + "ClassifierTrainer.resume(dir, train, valid, control)");
      }
      vocab = Vocabulary.fromText((String) resumed.get(VOCAB), out + " (checkpoint vocab)");
    }
    data = ClassificationData.load(cfg, tokenizer, trainInMemory, validInMemory, vocab, messages::message);
    net = new ClassifierNet(architecture(data.vocab.size(), data.classes.size()));
    net.lookUpInputProjection(false);
    if (resumed == null) {
      net.initialize(TorchGenerator.seeded(cfg.seed()));
    } else {
      restore(resumed);
    }
    ws = net.newWorkspace();
    evalWs = net.newWorkspace();
    int[] lengths = new int[data.trainIds.length];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = data.trainIds[i].length;
    }
    examples = new ExampleOrder(cfg.seed(), lengths, cfg.batch(), cfg.bucket);
  }

  private void restore(Map<String, Object> s) throws FormatException {
    List<String> classes = ((List<?>) s.get(CLASSES)).stream().map(String::valueOf).toList();
    if (!classes.equals(data.classes)) {
      throw new FormatException(out + ": the checkpoint's classes " + classes + " differ from the data's "
          + data.classes);
    }
    figures.restoreFrom(s);
  }

  @Override
  public String describeData() {
    return String.format(Locale.ROOT, "data: %d training and %d validation examples, %d classes, vocabulary %d%s",
        data.trainIds.length, data.validIds.length, data.classes.size(), data.vocab.size(),
        data.skippedRows > 0 ? ", " + data.skippedRows + " bad rows skipped" : "");
  }

  @Override
  public void beginEpoch(int epoch) {
    order = examples.of(epoch);
  }

  @Override
  public double forward(int b, Rng dropout) {
    int from = b * cfg.batch();
    int to = Math.min(data.trainIds.length, from + cfg.batch());
    batch = Batch.of(data.trainIds, data.trainLabels, order, from, to, data.vocab.paddingId(), 0);
    logits = net.forward(ws, batch.tokens, batch.lengths, batch.paddedLength, true, dropout);
    return net.loss(ws, batch.labels);
  }

  @Override
  public void backward() {
    net.backward(ws);
  }

  @Override
  public void beforeUpdate(Optimizer optimizer) {
    // Only the rows the batch used have embedding gradients; the optimizer visits just those.
    if (cfg.lazyEmbedding) {
      ((Adam) optimizer).lazyRows(net.embeddingWeight(), ws.touchedRows().rows(), ws.touchedRows().size());
    } else {
      optimizer.gradientRows(net.embeddingWeight(), ws.touchedRows().rows(), ws.touchedRows().size());
    }
  }

  @Override
  public void batchApplied(double loss) {
    int k = data.classes.size();
    figures.add(loss * batch.size, Evaluation.correctPredictions(logits, batch.labels, batch.size, k), batch.size,
        batch.tokenCount);
  }

  @Override public long samplesDone(int batchesDone) { return figures.samples(); }
  @Override public double runningLoss() { return figures.loss(); }
  @Override public double runningAccuracy() { return figures.accuracy(); }

  @Override
  public EpochScore evaluate(Map<String, Object> m) {
    figures.putTraining(m);
    if (!hasValidation()) {
      return new EpochScore(runningAccuracy(), runningLoss());
    }
    Evaluation ev = Inference.evaluate(net, evalWs, data.validIds, data.validLabels, data.vocab.paddingId(), 0,
        data.classes);
    m.put(EpochMetrics.VALID_LOSS, ev.loss());
    m.put(EpochMetrics.VALID_ACCURACY, ev.accuracy());
    m.put(EpochMetrics.VALID_MACRO_F1, ev.macroF1());
    return new EpochScore(ev.accuracy(), ev.loss());
  }

  @Override
  public Map<String, Long> throughputCounts() {
    return figures.throughputCounts();
  }

  @Override
  public void endEpoch() {
    figures.reset();
  }

  @Override
  public ModelConfig modelConfig(Map<String, Object> best, Provenance provenance) {
    return new ModelConfig(NAME, net.config(), data.classes, tokenizer.name(), cfg.maxLength, cfg.toJson(),
        provenance, best);
  }

  @Override
  public Map<String, Object> checkpointState() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put(IN_MEMORY, cfg.data() == null);
    s.put(CLASSES, data.classes);
    s.put(VOCAB, data.vocab.toText());
    figures.saveTo(s);
    return s;
  }

  @Override
  public List<TrainingPlot.Panel> plotPanels() {
    return ClassifierTrainer.plotPanels();
  }
}
