package org.rnn4j.classify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.rnn4j.Rnn4j;
import org.rnn4j.io.FormatException;
import org.rnn4j.runtime.BoxedVectorWatch;
import org.rnn4j.random.PythonRandom;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;
import org.rnn4j.network.ClassifierNet;
import org.rnn4j.network.NetConfig;
import org.rnn4j.optim.Adam;
import org.rnn4j.optim.GradientClipping;
import org.rnn4j.optim.LearningRateSchedule;
import org.rnn4j.optim.Optimizer;
import org.rnn4j.text.Batch;
import org.rnn4j.text.DataReader;
import org.rnn4j.text.LabeledText;
import org.rnn4j.text.Tokenizer;
import org.rnn4j.text.Vocabulary;
import org.rnn4j.train.Checkpoint;
import org.rnn4j.train.EpochMetrics;
import org.rnn4j.train.ModelDirectory;
import org.rnn4j.train.NumericalFaultException;
import org.rnn4j.train.TrainingControl;
import org.rnn4j.train.TrainingListener;
import org.rnn4j.train.TrainingPlot;
import org.rnn4j.train.TrainingResult;
import org.rnn4j.train.TrainingSupport;

/**
 * Trains a {@link Classifier} and writes its model directory.
 *
 * <pre>{@code
 * TrainingConfig cfg = TrainingConfig.builder().data(Path.of("train.csv")).valid(Path.of("eval.csv"))
 *     .epochs(5).build();
 * TrainingResult r = ClassifierTrainer.train(cfg, Path.of("model"), TrainingControl.silent());
 * }</pre>
 *
 * <p>After every epoch the run evaluates on the validation data, commits the model directory when
 * the validation accuracy improved, and writes a checkpoint; it also checkpoints inside long epochs
 * and when asked to stop. {@link #resume} continues from the checkpoint and ends with the same
 * weights as a run that was never interrupted: every random draw comes from state the checkpoint
 * holds, and every kernel gives the same bits for the same inputs.
 */
public final class ClassifierTrainer {
  private ClassifierTrainer() {}

  /** Trains from the files named in the config (data, and valid when given). */
  public static TrainingResult train(TrainingConfig config, Path out, TrainingControl control) throws IOException {
    if (config.data() == null) {
      throw new IllegalArgumentException("--data is required");
    }
    Run run = Run.fresh(config, out, control, null, null);
    return run.execute();
  }

  /** Trains from examples in memory; valid may be null (then valid_fraction of train is held out). */
  public static TrainingResult train(TrainingConfig config, List<LabeledText> train, List<LabeledText> valid,
                                     Path out, TrainingControl control) throws IOException {
    Run run = Run.fresh(config, out, control, train, valid);
    return run.execute();
  }

  /** Continues the file-based run whose checkpoint is in dir. */
  public static TrainingResult resume(Path dir, TrainingControl control) throws IOException {
    return Run.resumed(dir, control, null, null).execute();
  }

  /** Continues an in-memory run; pass the same examples as the original call. */
  public static TrainingResult resume(Path dir, List<LabeledText> train, List<LabeledText> valid,
                                      TrainingControl control) throws IOException {
    return Run.resumed(dir, control, train, valid).execute();
  }

  /** The state of one run; everything in it that changes is saved in the checkpoint. */
  static final class Run {
    final TrainingConfig cfg;
    final Path out;
    final TrainingControl control;
    final TrainingListener listener;
    Tokenizer tokenizer;
    Vocabulary vocab;
    List<String> classes;
    int[][] trainIds;
    int[] trainLabels;
    int[][] validIds;
    int[] validLabels;
    String dataSha256;
    String validSha256;
    int skippedRows;
    ClassifierNet net;
    Optimizer optimizer;
    LearningRateSchedule schedule;
    Rng dropoutRng;
    private PythonRandom shuffler;
    private int shuffledEpochs;
    // progress
    int epoch = 1;
    int batchInEpoch;
    long step;
    double lossSum;
    long correct;
    long samples;
    long tokens;
    double epochSeconds;
    final List<EpochMetrics> history = new ArrayList<>();
    int bestEpoch;
    double bestAccuracy = Double.NEGATIVE_INFINITY;
    double bestLoss = Double.POSITIVE_INFINITY;
    int epochsWithoutImprovement;
    long skippedBatches;
    String startedAt;
    boolean stoppedEarly;

    private Run(TrainingConfig cfg, Path out, TrainingControl control) {
      this.cfg = cfg;
      this.out = out;
      this.control = control;
      this.listener = control.listener();
    }

    static Run fresh(TrainingConfig cfg, Path out, TrainingControl control, List<LabeledText> train,
                     List<LabeledText> valid) throws IOException {
      boolean created = TrainingSupport.prepareOutput(out, control.overwrite());
      try {
        return freshIn(cfg, out, control, train, valid);
      } catch (IOException | RuntimeException e) {
        TrainingSupport.removeIfEmpty(out, created);
        throw e;
      }
    }

    private static Run freshIn(TrainingConfig cfg, Path out, TrainingControl control, List<LabeledText> train,
                               List<LabeledText> valid) throws IOException {
      Run r = new Run(cfg, out, control);
      r.startedAt = Instant.now().toString();
      r.tokenizer = Tokenizer.named(cfg.tokenizer());
      Thread warmUp = warmUp(cfg);
      Data d;
      try {
        d = r.loadData(train, valid);
      } finally {
        TrainingSupport.stopWarmUp(warmUp);
      }
      r.classes = d.classes;
      Vocabulary.Builder vb = Vocabulary.builder();
      List<List<String>> trainTokens = new ArrayList<>(d.train.size());
      for (LabeledText e : d.train) {
        List<String> t = r.tokenizer.tokenize(e.text());
        trainTokens.add(t);
        vb.add(t);
      }
      r.vocab = vb.build(List.of(Vocabulary.UNK, Vocabulary.PAD), cfg.minFreq(), cfg.maxVocab());
      r.encode(d, trainTokens);
      r.build(TorchGenerator.seeded(cfg.seed()));
      // model + checkpoint (weights and two Adam moments), 4 bytes each
      TrainingSupport.requireSpace(out, 4L * r.net.parameters().size() * 4 + (1 << 20));
      r.dropoutRng = new Rng(cfg.seed() ^ 0x5DEECE66DL);
      r.listener.message(String.format(Locale.ROOT,
          "data: %d training and %d validation examples, %d classes, vocabulary %d%s",
          r.trainIds.length, r.validIds.length, r.classes.size(), r.vocab.size(),
          r.skippedRows > 0 ? ", " + r.skippedRows + " bad rows skipped" : ""));
      return r;
    }

    static Run resumed(Path out, TrainingControl control, List<LabeledText> train, List<LabeledText> valid)
        throws IOException {
      Path file = out.resolve(Checkpoint.FILE);
      if (!Files.isRegularFile(file)) {
        throw new java.nio.file.NoSuchFileException(file.toString(), null,
            "no checkpoint to resume from (was the run started with this --out?)");
      }
      Checkpoint ck = Checkpoint.read(file);
      Map<String, Object> s = ck.state();
      if (!"classification".equals(s.get("task"))) {
        throw new FormatException(file + ": this checkpoint is for task " + s.get("task") + ", not classification");
      }
      @SuppressWarnings("unchecked")
      TrainingConfig cfg = TrainingConfig.fromJson((Map<String, Object>) s.get("config")).build();
      Run r = new Run(cfg, out, control);
      r.startedAt = (String) s.get("started_at");
      r.tokenizer = Tokenizer.named(cfg.tokenizer());
      if (Boolean.TRUE.equals(s.get("in_memory")) && train == null) {
        throw new IllegalArgumentException("this run was trained from in-memory data; resume it with "
            + "ClassifierTrainer.resume(dir, train, valid, control)");
      }
      Thread warmUp = warmUp(cfg);
      Data d;
      try {
        d = r.loadData(train, valid);
      } finally {
        TrainingSupport.stopWarmUp(warmUp);
      }
      if (!d.trainSha.equals(s.get("data_sha256")) || !String.valueOf(d.validSha).equals(String.valueOf(s.get("valid_sha256")))) {
        throw new FormatException("the training data changed since the run started (sha256 "
            + s.get("data_sha256") + " then, " + d.trainSha + " now); resume needs the same data");
      }
      r.classes = stringList(s.get("classes"));
      if (!r.classes.equals(d.classes)) {
        throw new FormatException(file + ": classes " + r.classes + " differ from the data's " + d.classes);
      }
      r.vocab = Vocabulary.fromText((String) s.get("vocab"), file + " (vocab)");
      List<List<String>> trainTokens = new ArrayList<>();
      for (LabeledText e : d.train) {
        trainTokens.add(r.tokenizer.tokenize(e.text()));
      }
      r.encode(d, trainTokens);
      r.build(null);
      ck.restoreParameters(r.net.parameters(), file);
      r.optimizer.loadState(ck.optimizerState());
      r.restoreProgress(s);
      r.listener.message(String.format(Locale.ROOT, "resuming %s at epoch %d, batch %d (step %d)",
          out, r.epoch, r.batchInEpoch, r.step));
      return r;
    }

    /** Compiles the kernels on a spare core while the data loads (see {@link org.rnn4j.runtime.WarmUp}). */
    static Thread warmUp(TrainingConfig cfg) {
      NetConfig arch = NetConfig.builder().cell(cfg.cell()).vocabulary(64).embed(cfg.embed()).hidden(cfg.hidden())
          .layers(cfg.layers()).bidirectional(cfg.bidirectional).pooling(cfg.pooling).classes(4).build();
      return TrainingSupport.startWarmUp(ClassifierNet.warmUpTask(arch));
    }

    static final class Data {
      List<LabeledText> train;
      List<LabeledText> valid;
      List<String> classes;
      String trainSha;
      String validSha;
    }

    Data loadData(List<LabeledText> train, List<LabeledText> valid) throws IOException {
      Data d = new Data();
      List<String> fileClasses = null;
      if (train == null) {
        DataReader.Options o = new DataReader.Options().labelColumn(cfg.labelColumn).textColumn(cfg.textColumn)
            .skipBadRows(cfg.skipBadRows);
        DataReader.Result r = DataReader.read(cfg.data(), cfg.format, o);
        train = r.examples();
        fileClasses = r.classNames();
        skippedRows += r.skipped();
        for (String reason : r.skippedReasons()) {
          listener.message("skipped " + reason);
        }
        d.trainSha = ModelDirectory.sha256(cfg.data());
        if (cfg.valid() != null) {
          DataReader.Result v = DataReader.read(cfg.valid(), cfg.format, o);
          valid = v.examples();
          skippedRows += v.skipped();
          d.validSha = ModelDirectory.sha256(cfg.valid());
        }
      } else {
        d.trainSha = ModelDirectory.sha256(canonical(train));
        d.validSha = valid == null ? null : ModelDirectory.sha256(canonical(valid));
      }
      if (fileClasses != null) {
        d.classes = fileClasses;
      } else {
        TreeSet<String> set = new TreeSet<>(ClassifierTrainer::compareLabels);
        for (LabeledText e : train) {
          set.add(e.label());
        }
        d.classes = new ArrayList<>(set);
      }
      if (d.classes.size() < 2) {
        throw new IllegalArgumentException("the training data has " + d.classes.size()
            + " class" + (d.classes.size() == 1 ? " (" + d.classes.get(0) + ")" : "es") + "; a classifier needs at least 2");
      }
      if (valid == null && cfg.validFraction() > 0) {
        int[] idx = new int[train.size()];
        for (int i = 0; i < idx.length; i++) {
          idx[i] = i;
        }
        new Rng(cfg.seed() ^ 0x7A3F11L).shuffle(idx);
        int nValid = (int) Math.round(train.size() * cfg.validFraction());
        if (nValid < 1 || nValid >= train.size()) {
          throw new IllegalArgumentException("--valid-fraction " + cfg.validFraction() + " of " + train.size()
              + " examples leaves no validation or no training data");
        }
        boolean[] isValid = new boolean[train.size()];
        for (int i = 0; i < nValid; i++) {
          isValid[idx[i]] = true;
        }
        List<LabeledText> t = new ArrayList<>();
        List<LabeledText> v = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
          (isValid[i] ? v : t).add(train.get(i));
        }
        train = t;
        valid = v;
      }
      d.train = train;
      d.valid = valid == null ? List.of() : valid;
      return d;
    }

    private static byte[] canonical(List<LabeledText> data) {
      StringBuilder b = new StringBuilder();
      for (LabeledText e : data) {
        b.append(e.label()).append('\t').append(e.text()).append('\n');
      }
      return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    void encode(Data d, List<List<String>> trainTokens) throws IOException {
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < classes.size(); i++) {
        index.put(classes.get(i), i);
      }
      trainIds = new int[d.train.size()][];
      trainLabels = new int[d.train.size()];
      for (int i = 0; i < trainIds.length; i++) {
        trainIds[i] = encodeOne(trainTokens.get(i), d.train.get(i), cfg.data());
        trainLabels[i] = index.get(d.train.get(i).label());
      }
      validIds = new int[d.valid.size()][];
      validLabels = new int[d.valid.size()];
      for (int i = 0; i < validIds.length; i++) {
        LabeledText e = d.valid.get(i);
        Integer y = index.get(e.label());
        if (y == null) {
          throw new org.rnn4j.text.DataException(cfg.valid(), e.line(), "label '" + e.label()
              + "' does not occur in the training data (classes: " + classes + ")");
        }
        validIds[i] = encodeOne(tokenizer.tokenize(e.text()), e, cfg.valid());
        validLabels[i] = y;
      }
      dataSha256 = d.trainSha;
      validSha256 = d.validSha;
    }

    private int[] encodeOne(List<String> tokens, LabeledText e, Path file) throws IOException {
      if (tokens.isEmpty()) {
        throw new org.rnn4j.text.DataException(file, e.line(), "the text has no " + tokenizer.name() + " tokens");
      }
      int[] ids = vocab.encode(tokens);
      return cfg.maxLength > 0 && ids.length > cfg.maxLength ? java.util.Arrays.copyOf(ids, cfg.maxLength) : ids;
    }

    NetConfig architecture() {
      return NetConfig.builder().cell(cfg.cell()).vocabulary(vocab.size()).embed(cfg.embed()).hidden(cfg.hidden())
          .layers(cfg.layers()).bidirectional(cfg.bidirectional).dropout(cfg.dropout()).pooling(cfg.pooling)
          .classes(classes.size()).build();
    }

    /** Builds the network (initialised from rng when given) and the optimizer. */
    void build(TorchGenerator init) {
      net = new ClassifierNet(architecture());
      net.lookUpInputProjection(false);
      if (init != null) {
        net.initialize(init);
      }
      optimizer = TrainingSupport.optimizer(cfg.optimizer(), net.parameters(), cfg.weightDecay(), cfg.momentum());
      long total = (long) cfg.epochs() * ((trainIds.length + cfg.batch() - 1) / cfg.batch());
      schedule = LearningRateSchedule.parse(cfg.schedule(), cfg.lr(), total);
    }

    TrainingResult execute() throws IOException {
      return TrainingSupport.withThreads(control.threads() > 0 ? control.threads() : cfg.threads(), this::loop);
    }

    private TrainingResult loop() throws IOException {
      ClassifierNet.Workspace ws = net.newWorkspace();
      ClassifierNet.Workspace evalWs = net.newWorkspace();
      long lastCheckpoint = System.nanoTime();
      BoxedVectorWatch jit = new BoxedVectorWatch();
      int nBatches = (trainIds.length + cfg.batch() - 1) / cfg.batch();
      while (epoch <= cfg.epochs() && !stoppedEarly) {
        int[] order = epochOrder(epoch);
        listener.epochStarted(epoch, cfg.epochs(), trainIds.length);
        long t0 = System.nanoTime();
        for (; batchInEpoch < nBatches; batchInEpoch++) {
          if (control.stopRequested()) {
            epochSeconds += (System.nanoTime() - t0) / 1e9;
            writeCheckpoint();
            listener.message("stopped: checkpoint written; continue with: rnn4j train --resume " + out);
            return result(true);
          }
          int from = batchInEpoch * cfg.batch();
          int to = Math.min(trainIds.length, from + cfg.batch());
          Batch b = Batch.of(trainIds, trainLabels, order, from, to, vocab.paddingId(), 0);
          trainStep(ws, b);
          TrainingSupport.watch(jit, listener);
          listener.batchFinished(epoch, samples, trainIds.length, lossSum / Math.max(1, samples),
              (double) correct / Math.max(1, samples));
          if (cfg.checkpointSeconds() > 0 && System.nanoTime() - lastCheckpoint > cfg.checkpointSeconds() * 1_000_000_000L
              && batchInEpoch + 1 < nBatches) {
            batchInEpoch++;
            epochSeconds += (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            writeCheckpoint();
            batchInEpoch--;
            lastCheckpoint = System.nanoTime();
            jit.restart();
          }
        }
        epochSeconds += (System.nanoTime() - t0) / 1e9;
        finishEpoch(evalWs);
        lastCheckpoint = System.nanoTime();
        jit.restart();
      }
      return result(false);
    }

    /**
     * The epoch's example order, drawn as torch_agnews.py draws it: {@code random.seed(seed)} once,
     * then {@code random.shuffle} of 0..n-1 at the start of every epoch; bucketed when asked. A
     * resumed run replays the earlier epochs' shuffles, so no generator state is checkpointed.
     */
    int[] epochOrder(int e) {
      int n = trainIds.length;
      if (shuffler == null || shuffledEpochs >= e) {
        shuffler = new PythonRandom(cfg.seed());
        shuffledEpochs = 0;
      }
      int[] order = new int[n];
      while (shuffledEpochs < e) {
        for (int i = 0; i < n; i++) {
          order[i] = i;
        }
        shuffler.shuffle(order, n);
        shuffledEpochs++;
      }
      if (cfg.bucket) {
        bucket(order, new Rng(cfg.seed() * 0x9E3779B97F4A7C15L + e * 0xC2B2AE3D27D4EB4FL));
      }
      return order;
    }

    /** Sorts windows of 50 batches by length, then shuffles whole batches. */
    private void bucket(int[] order, Rng r) {
      int window = cfg.batch() * 50;
      for (int w = 0; w < order.length; w += window) {
        int end = Math.min(order.length, w + window);
        Integer[] part = new Integer[end - w];
        for (int i = 0; i < part.length; i++) {
          part[i] = order[w + i];
        }
        java.util.Arrays.sort(part, java.util.Comparator.comparingInt(i -> trainIds[i].length));
        for (int i = 0; i < part.length; i++) {
          order[w + i] = part[i];
        }
      }
      int nb = (order.length + cfg.batch() - 1) / cfg.batch();
      int[] perm = new int[nb];
      for (int i = 0; i < nb; i++) {
        perm[i] = i;
      }
      r.shuffle(perm);
      int[] copy = order.clone();
      int pos = 0;
      for (int bi : perm) {
        for (int i = bi * cfg.batch(); i < Math.min(copy.length, (bi + 1) * cfg.batch()); i++) {
          order[pos++] = copy[i];
        }
      }
    }

    private void trainStep(ClassifierNet.Workspace ws, Batch b) {
      float[] logits = net.forward(ws, b.tokens, b.lengths, b.paddedLength, true, dropoutRng);
      double loss = net.loss(ws, b.labels);
      if (!Double.isFinite(loss)) {
        fault("the loss is " + loss, null);
        return;
      }
      net.backward(ws);
      // The norm needs its own pass only to clip, or to skip a bad batch before it is applied;
      // otherwise the optimizer reports Σ g² from its own pass.
      boolean prePass = cfg.clip() > 0 || cfg.onNan().equals("skip");
      if (prePass) {
        double norm = cfg.clip() > 0 ? GradientClipping.clipByGlobalNorm(net.parameters(), cfg.clip())
            : GradientClipping.globalNorm(net.parameters());
        if (!Double.isFinite(norm)) {
          fault("the gradient norm is " + norm, TrainingSupport.nonFinite(net.parameters(), true));
          return;
        }
      }
      if (cfg.lazyEmbedding) {
        ((Adam) optimizer).lazyRows(net.embeddingWeight(), ws.touchedRows().rows(), ws.touchedRows().size());
      } else {
        optimizer.gradientRows(net.embeddingWeight(), ws.touchedRows().rows(), ws.touchedRows().size());
      }
      optimizer.step(schedule.at(step));
      if (!prePass && !Double.isFinite(optimizer.lastGradientSumSquares())) {
        fault("the gradient norm is " + Math.sqrt(optimizer.lastGradientSumSquares()), TrainingSupport.nonFinite(net.parameters(), false));
        return;
      }
      step++;
      int k = classes.size();
      for (int i = 0; i < b.size; i++) {
        if (Inference.argmax(logits, i * k, k) == b.labels[i]) {
          correct++;
        }
      }
      lossSum += loss * b.size;
      samples += b.size;
      tokens += b.tokenCount;
    }

    private void fault(String what, String tensor) {
      String where = String.format(Locale.ROOT, "%s at step %d (epoch %d, batch %d)%s", what, step + 1, epoch,
          batchInEpoch + 1, tensor == null ? "" : " in the gradient of " + tensor);
      net.parameters().zeroGrad();
      if (cfg.onNan().equals("skip")) {
        skippedBatches++;
        listener.message("skipped batch: " + where);
        return;
      }
      throw new NumericalFaultException(where + "; the last good checkpoint is kept in " + out
          + " (lower --lr, set --clip, or pass --on-nan skip)");
    }

    private void finishEpoch(ClassifierNet.Workspace evalWs) throws IOException {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("epoch", epoch);
      m.put("train_loss", lossSum / Math.max(1, samples));
      m.put("train_accuracy", (double) correct / Math.max(1, samples));
      double acc;
      double loss;
      if (validIds.length > 0) {
        listener.evaluating(epoch);
        Evaluation ev = Inference.evaluate(net, evalWs, validIds, validLabels, vocab.paddingId(), 0, classes);
        m.put("valid_loss", ev.loss());
        m.put("valid_accuracy", ev.accuracy());
        m.put("valid_macro_f1", ev.macroF1());
        acc = ev.accuracy();
        loss = ev.loss();
      } else {
        acc = (double) correct / Math.max(1, samples);
        loss = lossSum / Math.max(1, samples);
      }
      m.put("seconds", epochSeconds);
      m.put("samples_per_s", samples / Math.max(1e-9, epochSeconds));
      m.put("tokens_per_s", tokens / Math.max(1e-9, epochSeconds));
      m.put("lr", schedule.at(Math.max(0, step - 1)));
      m.put("steps", step);
      if (skippedBatches > 0) {
        m.put("skipped_batches", skippedBatches);
      }
      EpochMetrics metrics = new EpochMetrics(m);
      history.add(metrics);
      boolean best = acc > bestAccuracy || (acc == bestAccuracy && loss < bestLoss);
      if (best) {
        bestAccuracy = acc;
        bestLoss = loss;
        bestEpoch = epoch;
        epochsWithoutImprovement = 0;
        ModelDirectory.commit(out, modelConfig(metrics), vocab, net.parameters());
      } else {
        epochsWithoutImprovement++;
      }
      ModelDirectory.writeHistory(out, history, plot());
      listener.epochFinished(metrics, best);
      if (cfg.patience > 0 && epochsWithoutImprovement >= cfg.patience && epoch < cfg.epochs()) {
        stoppedEarly = true;
        listener.message("early stop: validation accuracy has not improved for " + cfg.patience + " epochs");
      }
      epoch++;
      batchInEpoch = 0;
      lossSum = 0;
      correct = 0;
      samples = 0;
      tokens = 0;
      epochSeconds = 0;
      writeCheckpoint();
    }

    private byte[] plot() throws IOException {
      return TrainingPlot.png("rnn4j " + cfg.cell().id() + " classifier: " + out.getFileName(), history,
          new TrainingPlot.Panel("loss (cross-entropy)", new String[] {"train_loss", "valid_loss"},
              new String[] {"train", "valid"}),
          new TrainingPlot.Panel("accuracy", new String[] {"train_accuracy", "valid_accuracy", "valid_macro_f1"},
              new String[] {"train", "valid", "valid macro-F1"}));
    }

    Map<String, Object> modelConfig(EpochMetrics best) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("format", ModelDirectory.FORMAT);
      c.put("format_version", ModelDirectory.FORMAT_VERSION);
      c.put("task", "classification");
      c.put("model", ModelDirectory.architectureJson(net.config()));
      c.put("classes", classes);
      c.put("tokenizer", tokenizer.name());
      c.put("max_length", cfg.maxLength);
      c.put("training", cfg.toJson());
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("data_sha256", dataSha256);
      p.put("valid_sha256", validSha256);
      p.put("rnn4j_version", Rnn4j.VERSION);
      p.put("started_at", startedAt);
      p.put("seed", cfg.seed());
      p.put("environment", Rnn4j.environment());
      c.put("provenance", p);
      c.put("best", best.values());
      return c;
    }

    private void writeCheckpoint() throws IOException {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("task", "classification");
      s.put("format_version", 1);
      s.put("config", cfg.toJson());
      s.put("in_memory", cfg.data() == null);
      s.put("classes", classes);
      s.put("vocab", vocab.toText());
      s.put("data_sha256", dataSha256);
      s.put("valid_sha256", validSha256);
      s.put("started_at", startedAt);
      s.put("epoch", epoch);
      s.put("batch_in_epoch", batchInEpoch);
      s.put("step", step);
      s.put("dropout_rng", dropoutRng.state());
      s.put("loss_sum", lossSum);
      s.put("correct", correct);
      s.put("samples", samples);
      s.put("tokens", tokens);
      s.put("epoch_seconds", epochSeconds);
      s.put("best_epoch", bestEpoch);
      s.put("best_accuracy", bestAccuracy);
      s.put("best_loss", bestLoss);
      s.put("epochs_without_improvement", epochsWithoutImprovement);
      s.put("stopped_early", stoppedEarly);
      s.put("skipped_batches", skippedBatches);
      s.put("history", TrainingSupport.historyJson(history));
      Checkpoint.write(out.resolve(Checkpoint.FILE), s, net.parameters(), optimizer.state());
    }

    private void restoreProgress(Map<String, Object> s) {
      epoch = TrainingSupport.num(s, "epoch").intValue();
      batchInEpoch = TrainingSupport.num(s, "batch_in_epoch").intValue();
      step = TrainingSupport.num(s, "step").longValue();
      dropoutRng = TrainingSupport.rngFrom(s.get("dropout_rng"));
      lossSum = TrainingSupport.num(s, "loss_sum").doubleValue();
      correct = TrainingSupport.num(s, "correct").longValue();
      samples = TrainingSupport.num(s, "samples").longValue();
      tokens = TrainingSupport.num(s, "tokens").longValue();
      epochSeconds = TrainingSupport.num(s, "epoch_seconds").doubleValue();
      bestEpoch = TrainingSupport.num(s, "best_epoch").intValue();
      bestAccuracy = TrainingSupport.numOr(s, "best_accuracy", Double.NEGATIVE_INFINITY);
      bestLoss = TrainingSupport.numOr(s, "best_loss", Double.POSITIVE_INFINITY);
      epochsWithoutImprovement = TrainingSupport.num(s, "epochs_without_improvement").intValue();
      stoppedEarly = Boolean.TRUE.equals(s.get("stopped_early"));
      skippedBatches = TrainingSupport.num(s, "skipped_batches").longValue();
      TrainingSupport.restoreHistory(s.get("history"), history);
    }

    private TrainingResult result(boolean interrupted) {
      return new TrainingResult(out, history, TrainingSupport.epoch(history, bestEpoch), interrupted, stoppedEarly,
          skippedBatches);
    }
  }

  static List<String> stringList(Object v) {
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) v) {
      out.add(String.valueOf(o));
    }
    return out;
  }

  /** Class label order: numerically when both are integers, else by code point. */
  static int compareLabels(String a, String b) {
    if (a.matches("-?\\d{1,18}") && b.matches("-?\\d{1,18}")) {
      return Long.compare(Long.parseLong(a), Long.parseLong(b));
    }
    return a.compareTo(b);
  }
}
