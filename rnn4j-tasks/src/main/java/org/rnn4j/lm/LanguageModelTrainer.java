package org.rnn4j.lm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.Rnn4j;
import org.rnn4j.io.FormatException;
import org.rnn4j.runtime.BoxedVectorWatch;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;
import org.rnn4j.network.LanguageModelNet;
import org.rnn4j.network.NetConfig;
import org.rnn4j.optim.GradientClipping;
import org.rnn4j.optim.LearningRateSchedule;
import org.rnn4j.optim.Optimizer;
import org.rnn4j.text.DataException;
import org.rnn4j.text.TextFile;
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
 * Trains a {@link LanguageModel} by truncated backpropagation through time, as char-rnn and
 * ../shared/bench/torch_charlm.py do: the training text is cut into B parallel streams, each
 * epoch walks them in windows of T steps (a last partial window is dropped), and the recurrent
 * state is carried from one window to the next without gradient.
 *
 * <pre>{@code
 * LanguageModelConfig cfg = LanguageModelConfig.builder().data(Path.of("train.txt"))
 *     .valid(Path.of("valid.txt")).epochs(5).build();
 * TrainingResult r = LanguageModelTrainer.train(cfg, Path.of("lm"), TrainingControl.silent());
 * }</pre>
 *
 * <p>After every epoch: validation loss and bits per character, a sample, the model directory when
 * the validation loss improved, a checkpoint to resume from, and a copy of it named by epoch and
 * validation loss under {@code checkpoints/}. {@link #resume} ends with the same weights as an
 * uninterrupted run.
 */
public final class LanguageModelTrainer {
  static final String TASK = "language_model";
  static final String CHECKPOINTS = "checkpoints";

  private LanguageModelTrainer() {}

  public static TrainingResult train(LanguageModelConfig config, Path out, TrainingControl control)
      throws IOException {
    if (config.data() == null) {
      throw new IllegalArgumentException("--data is required");
    }
    return Run.fresh(config, out, control).execute();
  }

  /** Continues the run whose checkpoint is in dir (same data files). */
  public static TrainingResult resume(Path dir, TrainingControl control) throws IOException {
    return Run.resumed(dir, control).execute();
  }

  /** The state of one run; everything in it that changes is saved in the checkpoint. */
  static final class Run {
    final LanguageModelConfig cfg;
    final Path out;
    final TrainingControl control;
    final TrainingListener listener;
    Tokenizer tokenizer;
    Vocabulary vocab;
    int[] trainIds;
    int[] validIds;
    long validChars;
    String dataSha256;
    String validSha256;
    LanguageModelNet net;
    LanguageModelNet.State carried;
    Optimizer optimizer;
    LearningRateSchedule schedule;
    Rng dropoutRng;
    int streamLength;
    int windows;
    // progress
    int epoch = 1;
    int window;
    long step;
    double lossSum;
    long lossCount;
    double epochSeconds;
    final List<EpochMetrics> history = new ArrayList<>();
    int bestEpoch;
    double bestLoss = Double.POSITIVE_INFINITY;
    long skippedBatches;
    String startedAt;
    String lastSample = "";

    private Run(LanguageModelConfig cfg, Path out, TrainingControl control) {
      this.cfg = cfg;
      this.out = out;
      this.control = control;
      this.listener = control.listener();
    }

    static Run fresh(LanguageModelConfig cfg, Path out, TrainingControl control) throws IOException {
      boolean created = TrainingSupport.prepareOutput(out, control.overwrite());
      try {
        return freshIn(cfg, out, control);
      } catch (IOException | RuntimeException e) {
        TrainingSupport.removeIfEmpty(out, created);
        throw e;
      }
    }

    private static Run freshIn(LanguageModelConfig cfg, Path out, TrainingControl control) throws IOException {
      Run r = new Run(cfg, out, control);
      r.startedAt = Instant.now().toString();
      r.tokenizer = Tokenizer.named(cfg.tokenizer());
      Thread warmUp = TrainingSupport.startWarmUp(LanguageModelNet.warmUpTask(r.architecture(64)));
      Texts texts;
      try {
        texts = r.loadTexts();
      } finally {
        TrainingSupport.stopWarmUp(warmUp);
      }
      List<String> trainTokens = r.tokenizer.tokenize(texts.train);
      r.vocab = buildVocabulary(trainTokens, cfg);
      r.encode(trainTokens, texts);
      r.build(TorchGenerator.seeded(cfg.seed()));
      // model + checkpoint (weights and two Adam moments) + one checkpoint copy per epoch, 4 bytes each
      TrainingSupport.requireSpace(out, 4L * r.net.parameters().size() * (1 + 3 * (1 + cfg.epochs())) + (1 << 20));
      r.carried = r.net.newState(cfg.batch());
      r.dropoutRng = new Rng(cfg.seed() ^ 0x5DEECE66DL);
      r.listener.message(String.format(Locale.ROOT,
          "data: %,d training and %,d validation tokens, vocabulary %d; %d streams of %,d, %d windows of %d per epoch",
          r.trainIds.length, r.validIds.length, r.vocab.size(), cfg.batch(), r.streamLength, r.windows, cfg.seqLength));
      return r;
    }

    static Run resumed(Path out, TrainingControl control) throws IOException {
      Path file = out.resolve(Checkpoint.FILE);
      if (!Files.isRegularFile(file)) {
        throw new NoSuchFileException(file.toString(), null,
            "no checkpoint to resume from (was the run started with this --out?)");
      }
      Checkpoint ck = Checkpoint.read(file);
      Map<String, Object> s = ck.state();
      if (!TASK.equals(s.get("task"))) {
        throw new FormatException(file + ": this checkpoint is for task " + s.get("task")
            + ", not a language model (resume it with rnn4j train --resume)");
      }
      @SuppressWarnings("unchecked")
      LanguageModelConfig cfg = LanguageModelConfig.fromJson((Map<String, Object>) s.get("config")).build();
      Run r = new Run(cfg, out, control);
      r.startedAt = (String) s.get("started_at");
      r.tokenizer = Tokenizer.named(cfg.tokenizer());
      Texts texts = r.loadTexts();
      if (!texts.trainSha.equals(s.get("data_sha256"))
          || !String.valueOf(texts.validSha).equals(String.valueOf(s.get("valid_sha256")))) {
        throw new FormatException("the training text changed since the run started (sha256 "
            + s.get("data_sha256") + " then, " + texts.trainSha + " now); resume needs the same data");
      }
      r.vocab = Vocabulary.fromText((String) s.get("vocab"), file + " (vocab)");
      r.encode(r.tokenizer.tokenize(texts.train), texts);
      r.build(null);
      ck.restoreParameters(r.net.parameters(), file);
      r.optimizer.loadState(ck.optimizerState());
      r.carried = r.net.newState(cfg.batch());
      restoreState(ck, "state.h", r.carried.hidden(), file);
      if (r.carried.cell() != null) {
        restoreState(ck, "state.c", r.carried.cell(), file);
      }
      r.restoreProgress(s);
      r.listener.message(String.format(Locale.ROOT, "resuming %s at epoch %d, window %d (step %d)",
          out, r.epoch, r.window, r.step));
      return r;
    }

    private static void restoreState(Checkpoint ck, String name, float[] into, Path file) throws FormatException {
      float[] v = ck.extras().get(name);
      if (v == null || v.length != into.length) {
        throw new FormatException(file + ": checkpoint tensor extra." + name + " is missing or has the wrong size");
      }
      System.arraycopy(v, 0, into, 0, v.length);
    }

    NetConfig architecture(int vocabulary) {
      return NetConfig.builder().cell(cfg.cell()).vocabulary(vocabulary).classes(vocabulary).embed(cfg.embed())
          .hidden(cfg.hidden()).layers(cfg.layers()).dropout(cfg.dropout()).build();
    }

    static final class Texts {
      String train;
      String valid;
      String trainSha;
      String validSha;
    }

    /** The training text, and the validation text from --valid or the tail of the training text. */
    Texts loadTexts() throws IOException {
      Texts t = new Texts();
      byte[] bytes = readBytes(cfg.data(), "--data");
      t.trainSha = ModelDirectory.sha256(bytes);
      String text = TextFile.decode(bytes, cfg.data());
      if (cfg.valid() != null) {
        byte[] vb = readBytes(cfg.valid(), "--valid");
        t.validSha = ModelDirectory.sha256(vb);
        t.valid = TextFile.decode(vb, cfg.valid());
        t.train = text;
      } else if (cfg.validFraction() > 0) {
        int cut = text.offsetByCodePoints(0, (int) Math.round(text.codePointCount(0, text.length())
            * (1 - cfg.validFraction())));
        t.train = text.substring(0, cut);
        t.valid = text.substring(cut);
      } else {
        t.train = text;
        t.valid = "";
      }
      if (t.train.isBlank()) {
        throw new DataException(cfg.data(), 0, "the text is empty");
      }
      return t;
    }

    private static byte[] readBytes(Path file, String flag) throws IOException {
      TextFile.requireFile(file, flag);
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

    void encode(List<String> trainTokens, Texts t) throws DataException {
      trainIds = vocab.encode(trainTokens);
      dataSha256 = t.trainSha;
      validSha256 = t.validSha;
      List<String> vt = tokenizer.tokenize(t.valid);
      validIds = vocab.encode(vt);
      validChars = LanguageModel.predictedChars(vt, tokenizer);
      streamLength = (trainIds.length - 1) / cfg.batch();
      windows = streamLength >= cfg.seqLength ? (streamLength - cfg.seqLength) / cfg.seqLength + 1 : 0;
      if (windows == 0) {
        throw new DataException(cfg.data(), 0, String.format(Locale.ROOT,
            "the text has %,d tokens, too few for --batch %d streams of --seq-length %d (needs at least %,d)",
            trainIds.length, cfg.batch(), cfg.seqLength, (long) cfg.batch() * cfg.seqLength + 1));
      }
    }

    void build(TorchGenerator init) {
      net = new LanguageModelNet(architecture(vocab.size()));
      if (init != null) {
        net.initialize(init);
      }
      optimizer = TrainingSupport.optimizer(cfg.optimizer(), net.parameters(), cfg.weightDecay(), cfg.momentum());
      schedule = LearningRateSchedule.parse(cfg.schedule(), cfg.lr(), (long) cfg.epochs() * windows);
    }

    TrainingResult execute() throws IOException {
      return TrainingSupport.withThreads(control.threads() > 0 ? control.threads() : cfg.threads(), this::loop);
    }

    private TrainingResult loop() throws IOException {
      LanguageModelNet.Workspace ws = net.newWorkspace();
      int b = cfg.batch();
      int t = cfg.seqLength;
      int[] x = new int[b * t];
      int[] y = new int[b * t];
      long perEpoch = (long) windows * b * t;
      long lastCheckpoint = System.nanoTime();
      BoxedVectorWatch jit = new BoxedVectorWatch();
      while (epoch <= cfg.epochs()) {
        listener.epochStarted(epoch, cfg.epochs(), perEpoch);
        long t0 = System.nanoTime();
        for (; window < windows; window++) {
          if (control.stopRequested()) {
            epochSeconds += (System.nanoTime() - t0) / 1e9;
            writeCheckpoint();
            listener.message("stopped: checkpoint written; continue with: rnn4j train-lm --resume " + out);
            return result(true);
          }
          for (int r = 0; r < b; r++) {
            int from = r * streamLength + window * t;
            System.arraycopy(trainIds, from, x, r * t, t);
            System.arraycopy(trainIds, from + 1, y, r * t, t);
          }
          trainStep(ws, x, y);
          TrainingSupport.watch(jit, listener);
          listener.batchFinished(epoch, (long) (window + 1) * b * t, perEpoch, lossSum / Math.max(1, lossCount),
              Double.NaN);
          if (cfg.checkpointSeconds() > 0 && System.nanoTime() - lastCheckpoint > cfg.checkpointSeconds() * 1_000_000_000L
              && window + 1 < windows) {
            window++;
            epochSeconds += (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            writeCheckpoint();
            window--;
            lastCheckpoint = System.nanoTime();
            jit.restart();
          }
        }
        epochSeconds += (System.nanoTime() - t0) / 1e9;
        finishEpoch();
        lastCheckpoint = System.nanoTime();
        jit.restart();
      }
      return result(false);
    }

    private void trainStep(LanguageModelNet.Workspace ws, int[] x, int[] y) {
      net.forward(ws, x, cfg.batch(), cfg.seqLength, carried, true, dropoutRng);
      double loss = net.loss(ws, y);
      if (!Double.isFinite(loss)) {
        fault("the loss is " + loss, null);
        return;
      }
      net.backward(ws);
      double norm = cfg.clip() > 0 ? GradientClipping.clipByGlobalNorm(net.parameters(), cfg.clip())
          : GradientClipping.globalNorm(net.parameters());
      if (!Double.isFinite(norm)) {
        fault("the gradient norm is " + norm, TrainingSupport.nonFinite(net.parameters(), true));
        return;
      }
      optimizer.step(schedule.at(step) * Math.pow(cfg.lrDecay, epoch - 1));
      step++;
      lossSum += loss;
      lossCount++;
    }

    private void fault(String what, String tensor) {
      String where = String.format(Locale.ROOT, "%s at step %d (epoch %d, window %d)%s", what, step + 1, epoch,
          window + 1, tensor == null ? "" : " in the gradient of " + tensor);
      net.parameters().zeroGrad();
      if (cfg.onNan().equals("skip")) {
        // The carried state came out of the same bad arithmetic; start the streams afresh.
        carried.reset();
        skippedBatches++;
        listener.message("skipped window: " + where);
        return;
      }
      throw new NumericalFaultException(where + "; the last good checkpoint is kept in " + out
          + " (lower --lr, set --clip, or pass --on-nan skip)");
    }

    private void finishEpoch() throws IOException {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("epoch", epoch);
      double trainLoss = lossSum / Math.max(1, lossCount);
      m.put("train_loss", trainLoss);
      if (tokenizer.name().equals("char")) {
        m.put("train_bits_per_char", trainLoss / Math.log(2));
      }
      double score = trainLoss;
      if (validIds.length >= 2) {
        listener.evaluating(epoch);
        double total = LanguageModel.totalLoss(net, net.newWorkspace(), validIds);
        double validLoss = total / (validIds.length - 1);
        m.put("valid_loss", validLoss);
        m.put("valid_bits_per_char", total / Math.log(2) / validChars);
        m.put("valid_perplexity", Math.exp(validLoss));
        score = validLoss;
      }
      long chars = (long) lossCount * cfg.batch() * cfg.seqLength;
      m.put("seconds", epochSeconds);
      m.put("chars_per_s", chars / Math.max(1e-9, epochSeconds));
      m.put("lr", schedule.at(Math.max(0, step - 1)) * Math.pow(cfg.lrDecay, epoch - 1));
      m.put("steps", step);
      if (skippedBatches > 0) {
        m.put("skipped_batches", skippedBatches);
      }
      if (cfg.sampleLength > 0) {
        LanguageModel lm = new LanguageModel(out, Map.of(), net, vocab, tokenizer);
        lastSample = lm.generate("", cfg.sampleLength, lm.sampler(cfg.sampleTemperature, 0, 1, cfg.seed() + epoch),
            s -> { });
        m.put("sample", lastSample);
      }
      EpochMetrics metrics = new EpochMetrics(m);
      history.add(metrics);
      boolean best = score < bestLoss;
      if (best) {
        bestLoss = score;
        bestEpoch = epoch;
        ModelDirectory.commit(out, modelConfig(metrics), vocab, net.parameters());
      }
      ModelDirectory.writeHistory(out, history, plot());
      listener.epochFinished(metrics, best);
      int finished = epoch;
      epoch++;
      window = 0;
      lossSum = 0;
      lossCount = 0;
      epochSeconds = 0;
      // A new epoch starts the streams from their beginnings, so from a zero state (as torch_charlm.py).
      carried.reset();
      writeCheckpoint();
      Path copy = out.resolve(CHECKPOINTS).resolve(String.format(Locale.ROOT, "epoch-%03d-valid-%.4f.safetensors",
          finished, score));
      org.rnn4j.io.AtomicFiles.write(copy, o -> Files.copy(out.resolve(Checkpoint.FILE), o));
    }

    private byte[] plot() throws IOException {
      String caption = lastSample.isEmpty() ? null : "sample after epoch " + (epoch) + ":\n" + lastSample;
      return TrainingPlot.png("rnn4j " + cfg.cell().id() + " language model: " + out.getFileName(), caption, history,
          new TrainingPlot.Panel("loss (nats per token)", new String[] {"train_loss", "valid_loss"},
              new String[] {"train", "valid"}),
          new TrainingPlot.Panel("bits per character", new String[] {"train_bits_per_char", "valid_bits_per_char"},
              new String[] {"train", "valid"}));
    }

    Map<String, Object> modelConfig(EpochMetrics best) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("format", ModelDirectory.FORMAT);
      c.put("format_version", ModelDirectory.FORMAT_VERSION);
      c.put("task", TASK);
      c.put("model", ModelDirectory.architectureJson(net.config()));
      c.put("tokenizer", tokenizer.name());
      c.put("training", cfg.toJson());
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("data_sha256", dataSha256);
      p.put("valid_sha256", validSha256);
      p.put("rnn4j_version", Rnn4j.VERSION);
      p.put("started_at", startedAt);
      p.put("seed", cfg.seed());
      p.put("environment", Rnn4j.environment());
      c.put("provenance", p);
      Map<String, Object> bestValues = new LinkedHashMap<>(best.values());
      bestValues.remove("sample");
      c.put("best", bestValues);
      return c;
    }

    private void writeCheckpoint() throws IOException {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("task", TASK);
      s.put("format_version", 1);
      s.put("config", cfg.toJson());
      s.put("vocab", vocab.toText());
      s.put("data_sha256", dataSha256);
      s.put("valid_sha256", validSha256);
      s.put("started_at", startedAt);
      s.put("epoch", epoch);
      s.put("window", window);
      s.put("step", step);
      s.put("dropout_rng", dropoutRng.state());
      s.put("loss_sum", lossSum);
      s.put("loss_count", lossCount);
      s.put("epoch_seconds", epochSeconds);
      s.put("best_epoch", bestEpoch);
      s.put("best_loss", bestLoss);
      s.put("skipped_batches", skippedBatches);
      s.put("last_sample", lastSample);
      s.put("history", TrainingSupport.historyJson(history));
      Map<String, float[]> extras = new LinkedHashMap<>();
      extras.put("state.h", carried.hidden());
      if (carried.cell() != null) {
        extras.put("state.c", carried.cell());
      }
      Checkpoint.write(out.resolve(Checkpoint.FILE), s, net.parameters(), optimizer.state(), extras);
    }

    private void restoreProgress(Map<String, Object> s) {
      epoch = TrainingSupport.num(s, "epoch").intValue();
      window = TrainingSupport.num(s, "window").intValue();
      step = TrainingSupport.num(s, "step").longValue();
      dropoutRng = TrainingSupport.rngFrom(s.get("dropout_rng"));
      lossSum = TrainingSupport.num(s, "loss_sum").doubleValue();
      lossCount = TrainingSupport.num(s, "loss_count").longValue();
      epochSeconds = TrainingSupport.num(s, "epoch_seconds").doubleValue();
      bestEpoch = TrainingSupport.num(s, "best_epoch").intValue();
      bestLoss = TrainingSupport.numOr(s, "best_loss", Double.POSITIVE_INFINITY);
      skippedBatches = TrainingSupport.num(s, "skipped_batches").longValue();
      lastSample = s.get("last_sample") instanceof String ? (String) s.get("last_sample") : "";
      TrainingSupport.restoreHistory(s.get("history"), history);
    }

    private TrainingResult result(boolean interrupted) {
      return new TrainingResult(out, history, TrainingSupport.epoch(history, bestEpoch), interrupted, false,
          skippedBatches);
    }
  }
}
