package org.rnn4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.classify.Classifier;
import org.rnn4j.classify.ClassifierTrainer;
import org.rnn4j.classify.EpochFigures;
import org.rnn4j.classify.Evaluation;
import org.rnn4j.classify.ExampleOrder;
import org.rnn4j.classify.TrainingConfig;
import org.rnn4j.network.ClassifierNet;
import org.rnn4j.network.NetConfig;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.optim.Adam;
import org.rnn4j.optim.Optimizer;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.persist.ModelConfig;
import org.rnn4j.persist.Provenance;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;
import org.rnn4j.text.Tokenizer;
import org.rnn4j.text.Vocabulary;
import org.rnn4j.train.EpochScore;
import org.rnn4j.train.TrainingPlot;
import org.rnn4j.train.TrainingTask;

/**
 * Text classification trained data-parallel on Spark, as a task of the shared training loop: the
 * loop owns epochs, clipping, the optimizer, checkpoints and resume exactly as for a single process,
 * and this task computes each batch's loss and gradient on the executors.
 *
 * <p>The data stays on the executors, encoded, one cached {@link Shard} per partition; the driver
 * holds the vocabulary, the classes and one length per example (for the example order). A step's
 * global batch is the one a single process would take (the same {@link ExampleOrder}); every
 * partition computes the gradient of the examples of that batch it holds, the driver sums the parts
 * in partition order, applies the optimizer and broadcasts the new weights.
 */
final class DistributedClassificationTask implements TrainingTask {
  /** Mean bytes a step moves: weights out to the executors plus gradient parts back. */
  static final String BYTES_PER_STEP = "bytes_per_step";
  static final String SYNC_EVERY = "sync_every";
  private static final String IN_MEMORY = "in_memory";
  private static final String ON_SPARK = "spark";
  private static final String CLASSES = "classes";
  private static final String VOCAB = "vocab";
  private static final String BYTES = "bytes";
  private static final String STEPS = "steps_in_epoch";

  private final TrainingConfig cfg;
  private final Path out;
  private final Dataset<Row> trainRows;
  private final Dataset<Row> validRows;
  private final JavaSparkContext sc;
  /** The classes in index order when the data names them (AG News' classes.txt), else null: label order. */
  private final List<String> givenClasses;
  /** Steps each partition takes on its own between averagings; 1: synchronous, the single-process steps. */
  private final int syncEvery;
  private double lr;
  private final String runId = UUID.randomUUID().toString();
  private List<String> classes;
  private Vocabulary vocab;
  private JavaRDD<Shard> train;
  private JavaRDD<Shard> valid;
  private int trainSize;
  private int validSize;
  private String trainSha;
  private String validSha;
  private ClassifierNet net;
  private Replicas.Architecture architecture;
  private ExampleOrder examples;
  private int[] order;
  private Broadcast<float[]> weights;
  private long weightsVersion = -1;
  private GradientPart step;
  private final EpochFigures figures = new EpochFigures();
  private long bytes;
  private long steps;

  DistributedClassificationTask(TrainingConfig cfg, Path out, Dataset<Row> train, Dataset<Row> valid,
                                List<String> givenClasses, int syncEvery) {
    if (syncEvery < 1) {
      throw new InvalidSettingException("{syncEvery} must be >= 1, got " + syncEvery);
    }
    this.syncEvery = syncEvery;
    this.cfg = cfg;
    this.givenClasses = givenClasses;
    this.out = out;
    this.trainRows = train;
    this.validRows = valid;
    this.sc = JavaSparkContext.fromSparkContext(train.sparkSession().sparkContext());
  }

  @Override public String name() { return Classifier.TASK; }
  @Override public String modelNoun() { return "classifier"; }
  @Override public String scoreName() { return validSize > 0 ? "validation accuracy" : "training accuracy"; }
  @Override public ParameterSet parameters() { return net.parameters(); }
  @Override public Vocabulary vocabulary() { return vocab; }
  @Override public String dataSha256() { return trainSha; }
  @Override public String validSha256() { return validSha; }
  @Override public int batchesPerEpoch() { return (globalBatches() + syncEvery - 1) / syncEvery; }
  @Override public String batchNoun() { return syncEvery == 1 ? "batch" : "round of " + syncEvery + " steps"; }
  @Override public boolean updatesWeightsItself() { return syncEvery > 1; }
  @Override public void stepLearningRate(double v) { lr = v; }
  @Override public boolean stepsAllocateNothing() { return false; }

  private int globalBatches() {
    return (trainSize + cfg.batch() - 1) / cfg.batch();
  }
  @Override public long samplesPerEpoch() { return trainSize; }
  @Override public boolean hasValidation() { return validSize > 0; }

  @Override
  public Runnable warmUp() {
    return ClassifierNet.warmUpTask(architecture(64, 4));
  }

  private NetConfig architecture(int vocabulary, int classCount) {
    return NetConfig.builder().cell(cfg.cell()).vocabulary(vocabulary).embed(cfg.embed()).hidden(cfg.hidden())
        .layers(cfg.layers()).bidirectional(cfg.bidirectional()).dropout(cfg.dropout()).pooling(cfg.pooling())
        .classes(classCount).build();
  }

  @Override
  public void prepare(Map<String, Object> resumed) throws IOException {
    Dataset<Row> t = columns(trainRows, "train");
    Dataset<Row> v = validRows == null ? null : columns(validRows, "valid");
    if (resumed == null) {
      classes = ClassifierTrainer.requireTwoClasses(givenClasses != null ? givenClasses
          : ClassifierTrainer.classesInLabelOrder(t.select("label").distinct().as(org.apache.spark.sql.Encoders.STRING())
              .collectAsList().stream().filter(java.util.Objects::nonNull).toList()));
      vocab = SparkData.vocabulary(t, cfg);
    } else {
      classes = ((List<?>) resumed.get(CLASSES)).stream().map(String::valueOf).toList();
      vocab = Vocabulary.fromText((String) resumed.get(VOCAB), out + " (checkpoint vocab)");
    }
    SparkData.Encoded tr = SparkData.encode(t, "training data", classes, vocab, cfg);
    train = tr.shards();
    trainSize = tr.size();
    trainSha = tr.sha256();
    if (trainSize == 0) {
      throw new IllegalArgumentException("the training data has no rows");
    }
    if (v != null) {
      SparkData.Encoded va = SparkData.encode(v, "validation data", classes, vocab, cfg);
      valid = va.shards();
      validSize = va.size();
      validSha = va.sha256();
    }
    NetConfig arch = architecture(vocab.size(), classes.size());
    net = new ClassifierNet(arch);
    net.lookUpInputProjection(false);
    architecture = Replicas.Architecture.of(net.config());
    if (resumed == null) {
      net.initialize(TorchGenerator.seeded(cfg.seed()));
    } else {
      figures.restoreFrom(resumed);
      bytes = ((Number) resumed.getOrDefault(BYTES, 0L)).longValue();
      steps = ((Number) resumed.getOrDefault(STEPS, 0L)).longValue();
    }
    examples = new ExampleOrder(cfg.seed(), tr.lengths(), cfg.batch(), cfg.bucket());
  }

  /** The label and text columns as strings, named label and text; a missing column is refused by name. */
  private Dataset<Row> columns(Dataset<Row> df, String which) {
    List<String> names = Arrays.asList(df.columns());
    for (String[] c : new String[][] {{cfg.labelColumn(), "labelColumn"}, {cfg.textColumn(), "textColumn"}}) {
      if (!names.contains(c[0])) {
        throw new InvalidSettingException("{" + c[1] + "} '" + c[0] + "' is not a column of the " + which
            + " data (columns: " + String.join(", ", names) + ")");
      }
    }
    return df.select(functions.col(cfg.labelColumn()).cast("string").as("label"),
        functions.col(cfg.textColumn()).cast("string").as("text"));
  }

  @Override
  public String describeData() {
    return String.format(Locale.ROOT, "data: %d training and %d validation examples in %d partitions, %d classes, "
        + "vocabulary %d (on Spark, %s)", trainSize, validSize, train.getNumPartitions(), classes.size(), vocab.size(),
        sc.master());
  }

  @Override
  public void beginEpoch(int e) {
    order = examples.of(e);
  }

  @Override
  public double forward(int b, Rng dropout) {
    return syncEvery == 1 ? synchronousStep(b, dropout) : localRound(b, dropout);
  }

  /**
   * Local SGD: every partition takes {@code syncEvery} steps of its own, on its examples of the next
   * {@code syncEvery} global batches, and the new weights are the start plus the partitions' moves
   * averaged by their examples. Fewer rounds of communication; not equal to single-process training.
   */
  private double localRound(int round, Rng dropout) {
    int first = round * syncEvery;
    int last = Math.min(globalBatches(), first + syncEvery);
    long[][] batches = new long[last - first][];
    for (int j = first; j < last; j++) {
      batches[j - first] = sortedBatch(j);
    }
    Replicas.StepContext c = context();
    long dropoutSeed = dropout.nextLong();
    double stepLr = lr;
    Map<String, Object> settings = cfg.toJson();
    step = inOrder(train.map(s -> Replicas.localRound(s, batches, stepLr, dropoutSeed, c, settings)).collect(),
        GradientPart::plus);
    double loss = step.lossSum / Math.max(1, step.examples);
    float[] w = net.parameters().data();
    float inverse = 1f / Math.max(1, step.examples);
    for (int i = 0; i < w.length; i++) {
      if (!Float.isFinite(step.dense[i])) {
        return Double.NaN; // the weights stay as they were; the loop's NaN policy decides
      }
    }
    for (int i = 0; i < w.length; i++) {
      w[i] += step.dense[i] * inverse;
    }
    net.parameters().touch();
    return loss;
  }

  private long[] sortedBatch(int b) {
    int from = b * cfg.batch();
    int to = Math.min(trainSize, from + cfg.batch());
    long[] batch = new long[to - from];
    for (int i = from; i < to; i++) {
      batch[i - from] = order[i];
    }
    Arrays.sort(batch);
    return batch;
  }

  private double synchronousStep(int b, Rng dropout) {
    long[] batch = sortedBatch(b);
    Replicas.StepContext c = context();
    int globalBatch = batch.length;
    long dropoutSeed = dropout.nextLong();
    step = inOrder(train.map(s -> Replicas.gradient(s, batch, globalBatch, dropoutSeed, c)).collect(),
        GradientPart::plus);
    applyGradient(step);
    return step.lossSum / Math.max(1, step.examples);
  }

  /**
   * The parts summed pairwise in a fixed tree over the partition order. Spark's reduce adds results
   * in the order tasks finish, which would make the float sums, and so a resumed run's bits, depend
   * on timing.
   */
  static <T> T inOrder(List<T> parts, java.util.function.BinaryOperator<T> plus) {
    List<T> level = parts;
    while (level.size() > 1) {
      List<T> next = new java.util.ArrayList<>((level.size() + 1) / 2);
      for (int i = 0; i < level.size(); i += 2) {
        next.add(i + 1 < level.size() ? plus.apply(level.get(i), level.get(i + 1)) : level.get(i));
      }
      level = next;
    }
    return level.get(0);
  }

  /** The broadcast of the current weights, made anew only when the optimizer changed them. */
  private Replicas.StepContext context() {
    ParameterSet p = net.parameters();
    if (weights == null || weightsVersion != p.version()) {
      if (weights != null) {
        weights.destroy();
      }
      weights = sc.broadcast(p.snapshot());
      weightsVersion = p.version();
    }
    return new Replicas.StepContext(runId, architecture, weights, weightsVersion, Math.max(0, vocab.paddingId()));
  }

  /** Adds the summed parts into the parameters' gradient, where the loop's clipping and optimizer find it. */
  private void applyGradient(GradientPart part) {
    ParameterSet params = net.parameters();
    Parameter emb = net.embeddingWeight();
    float[] g = params.grad();
    int at = 0;
    for (Parameter q : params.parameters()) {
      if (q == emb) {
        continue;
      }
      for (int i = 0; i < q.size(); i++) {
        g[q.offset() + i] += part.dense[at++];
      }
    }
    int width = emb.dim(1);
    for (int i = 0; i < part.rows.length; i++) {
      int off = emb.offset() + part.rows[i] * width;
      for (int j = 0; j < width; j++) {
        g[off + j] += part.rowGrads[i * width + j];
      }
    }
  }

  @Override
  public void backward() {
    // the gradient came back with the forward pass
  }

  @Override
  public void beforeUpdate(Optimizer optimizer) {
    if (cfg.lazyEmbedding()) {
      ((Adam) optimizer).lazyRows(net.embeddingWeight(), step.rows, step.rows.length);
    } else {
      optimizer.gradientRows(net.embeddingWeight(), step.rows, step.rows.length);
    }
  }

  @Override
  public void batchApplied(double loss) {
    figures.add(step.lossSum, step.correct, step.examples, step.tokens);
    bytes += step.bytes + 4L * net.parameters().size();
    steps++;
  }

  @Override public long samplesDone(int batchesDone) { return figures.samples(); }
  @Override public double runningLoss() { return figures.loss(); }
  @Override public double runningAccuracy() { return figures.accuracy(); }

  @Override
  public EpochScore evaluate(Map<String, Object> m) {
    figures.putTraining(m);
    m.put(BYTES_PER_STEP, steps == 0 ? 0.0 : (double) bytes / steps);
    if (!hasValidation()) {
      return new EpochScore(runningAccuracy(), runningLoss());
    }
    Replicas.StepContext c = context();
    int k = classes.size();
    Replicas.EvaluationPart e = inOrder(valid.map(s -> Replicas.evaluate(s, c)).collect(),
        Replicas.EvaluationPart::plus);
    Evaluation ev = Evaluation.of(classes, e.confusion, e.examples == 0 ? Double.NaN : e.lossSum / e.examples);
    if (ev.confusion().length != k) {
      throw new IllegalStateException("evaluation over " + ev.confusion().length + " classes, expected " + k);
    }
    m.put(EpochMetrics.VALID_LOSS, ev.loss());
    m.put(EpochMetrics.VALID_ACCURACY, ev.accuracy());
    m.put(EpochMetrics.VALID_MACRO_F1, ev.macroF1());
    return new EpochScore(ev.accuracy(), ev.loss());
  }

  @Override
  public Map<String, Long> throughputCounts() {
    Map<String, Long> m = new LinkedHashMap<>(figures.throughputCounts());
    m.put("steps", steps);
    return m;
  }

  @Override
  public void endEpoch() {
    figures.reset();
    bytes = 0;
    steps = 0;
  }

  @Override
  public ModelConfig modelConfig(Map<String, Object> best, Provenance provenance) {
    return new ModelConfig(Classifier.TASK, net.config(), classes, Tokenizer.named(cfg.tokenizer()).name(), cfg.maxLength(),
        cfg.toJson(), provenance, best);
  }

  @Override
  public Map<String, Object> checkpointState() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put(IN_MEMORY, true);
    s.put(ON_SPARK, true);
    s.put(SYNC_EVERY, syncEvery);
    s.put(CLASSES, classes);
    s.put(VOCAB, vocab.toText());
    figures.saveTo(s);
    s.put(BYTES, bytes);
    s.put(STEPS, steps);
    return s;
  }

  @Override
  public List<TrainingPlot.Panel> plotPanels() {
    return ClassifierTrainer.plotPanels();
  }

  /** Frees the cached shards, the last broadcast and the executors' replicas. */
  void release() {
    String run = runId;
    if (train != null) {
      train.foreachPartition(x -> Replicas.forget(run));
    }
    if (train != null) {
      train.unpersist(false);
    }
    if (valid != null) {
      valid.unpersist(false);
    }
    if (weights != null) {
      weights.destroy();
      weights = null;
    }
  }
}
