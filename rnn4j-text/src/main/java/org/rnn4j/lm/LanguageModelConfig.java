package org.rnn4j.lm;

import static org.rnn4j.train.TrainingSupport.longOr;
import static org.rnn4j.train.TrainingSupport.numOr;
import static org.rnn4j.train.TrainingSupport.strOr;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.nn.CellType;
import org.rnn4j.text.Tokenizer;

/**
 * Everything that defines a language-model training run. Defaults are those of
 * ../shared/bench/torch_charlm.py (char-rnn's recipe): characters, LSTM, embedding 64, hidden 128,
 * one layer, windows of 64 steps over 32 parallel streams, Adam 2e-3, gradient norm clipped at 5.
 * Validation messages name the command-line flag of the offending field.
 */
public final class LanguageModelConfig {
  final Path data;
  final Path valid;
  final double validFraction;
  final String tokenizer;
  final int minFreq;
  final int maxVocab;
  final CellType cell;
  final int embed;
  final int hidden;
  final int layers;
  final float dropout;
  final int seqLength;
  final int batch;
  final int epochs;
  final double lr;
  final String optimizer;
  final double weightDecay;
  final double momentum;
  final String schedule;
  final double lrDecay;
  final double clip;
  final long seed;
  final int threads;
  final String onNan;
  final int checkpointSeconds;
  final int sampleLength;
  final double sampleTemperature;

  private LanguageModelConfig(Builder b) {
    data = b.data;
    valid = b.valid;
    validFraction = b.validFraction;
    tokenizer = b.tokenizer;
    minFreq = b.minFreq;
    maxVocab = b.maxVocab;
    cell = b.cell;
    embed = b.embed;
    hidden = b.hidden;
    layers = b.layers;
    dropout = b.dropout;
    seqLength = b.seqLength;
    batch = b.batch;
    epochs = b.epochs;
    lr = b.lr;
    optimizer = b.optimizer;
    weightDecay = b.weightDecay;
    momentum = b.momentum;
    schedule = b.schedule;
    lrDecay = b.lrDecay;
    clip = b.clip;
    seed = b.seed;
    threads = b.threads;
    onNan = b.onNan;
    checkpointSeconds = b.checkpointSeconds;
    sampleLength = b.sampleLength;
    sampleTemperature = b.sampleTemperature;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return fromJson(toJson());
  }

  public Path data() {
    return data;
  }

  public int epochs() {
    return epochs;
  }

  public int threads() {
    return threads;
  }

  /** The JSON form stored in config.json and checkpoints; keys match the command-line flags. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("data", data == null ? null : data.toString());
    m.put("valid", valid == null ? null : valid.toString());
    m.put("valid_fraction", validFraction);
    m.put("tokenizer", tokenizer);
    m.put("min_freq", minFreq);
    m.put("max_vocab", maxVocab);
    m.put("cell", cell.id());
    m.put("embed", embed);
    m.put("hidden", hidden);
    m.put("layers", layers);
    m.put("dropout", (double) dropout);
    m.put("seq_length", seqLength);
    m.put("batch", batch);
    m.put("epochs", epochs);
    m.put("lr", lr);
    m.put("optimizer", optimizer);
    m.put("weight_decay", weightDecay);
    m.put("momentum", momentum);
    m.put("schedule", schedule);
    m.put("lr_decay", lrDecay);
    m.put("clip", clip);
    m.put("seed", seed);
    m.put("threads", threads);
    m.put("on_nan", onNan);
    m.put("checkpoint_seconds", checkpointSeconds);
    m.put("sample_length", sampleLength);
    m.put("sample_temperature", sampleTemperature);
    return m;
  }

  /** A builder holding the values of {@link #toJson()}; unknown keys are ignored. */
  public static Builder fromJson(Map<String, Object> m) {
    Builder b = new Builder();
    if (m.get("data") != null) {
      b.data(Path.of((String) m.get("data")));
    }
    if (m.get("valid") != null) {
      b.valid(Path.of((String) m.get("valid")));
    }
    b.validFraction(numOr(m, "valid_fraction", b.validFraction));
    b.tokenizer(strOr(m, "tokenizer", b.tokenizer));
    b.minFreq((int) numOr(m, "min_freq", b.minFreq));
    b.maxVocab((int) numOr(m, "max_vocab", b.maxVocab));
    b.cell(CellType.parse(strOr(m, "cell", b.cell.id())));
    b.embed((int) numOr(m, "embed", b.embed));
    b.hidden((int) numOr(m, "hidden", b.hidden));
    b.layers((int) numOr(m, "layers", b.layers));
    b.dropout((float) numOr(m, "dropout", b.dropout));
    b.seqLength((int) numOr(m, "seq_length", b.seqLength));
    b.batch((int) numOr(m, "batch", b.batch));
    b.epochs((int) numOr(m, "epochs", b.epochs));
    b.lr(numOr(m, "lr", b.lr));
    b.optimizer(strOr(m, "optimizer", b.optimizer));
    b.weightDecay(numOr(m, "weight_decay", b.weightDecay));
    b.momentum(numOr(m, "momentum", b.momentum));
    b.schedule(strOr(m, "schedule", b.schedule));
    b.lrDecay(numOr(m, "lr_decay", b.lrDecay));
    b.clip(numOr(m, "clip", b.clip));
    b.seed(longOr(m, "seed", b.seed));
    b.threads((int) numOr(m, "threads", b.threads));
    b.onNan(strOr(m, "on_nan", b.onNan));
    b.checkpointSeconds((int) numOr(m, "checkpoint_seconds", b.checkpointSeconds));
    b.sampleLength((int) numOr(m, "sample_length", b.sampleLength));
    b.sampleTemperature(numOr(m, "sample_temperature", b.sampleTemperature));
    return b;
  }

  /** Mutable builder with torch_charlm.py's defaults; {@link #build()} validates. */
  public static final class Builder {
    Path data;
    Path valid;
    double validFraction = Double.NaN;
    String tokenizer = "char";
    int minFreq = 1;
    int maxVocab;
    CellType cell = CellType.LSTM;
    int embed = 64;
    int hidden = 128;
    int layers = 1;
    float dropout;
    int seqLength = 64;
    int batch = 32;
    int epochs = 1;
    double lr = 2e-3;
    String optimizer = "adam";
    double weightDecay;
    double momentum = 0.9;
    String schedule = "constant";
    double lrDecay = 1.0;
    double clip = 5.0;
    long seed = 1;
    int threads;
    String onNan = "stop";
    int checkpointSeconds = 300;
    int sampleLength = 200;
    double sampleTemperature = 0.8;

    public Builder data(Path v) { data = v; return this; }
    public Builder valid(Path v) { valid = v; return this; }
    /** Fraction taken from the end of the training text for validation when no valid file is given (default 0.1). */
    public Builder validFraction(double v) { validFraction = v; return this; }
    /** char (default), whitespace or basic_english. */
    public Builder tokenizer(String v) { tokenizer = v; return this; }
    public Builder minFreq(int v) { minFreq = v; return this; }
    public Builder maxVocab(int v) { maxVocab = v; return this; }
    public Builder cell(CellType v) { cell = v; return this; }
    public Builder embed(int v) { embed = v; return this; }
    public Builder hidden(int v) { hidden = v; return this; }
    public Builder layers(int v) { layers = v; return this; }
    /** Dropout between recurrent layers (training only). */
    public Builder dropout(float v) { dropout = v; return this; }
    /** Steps per truncated-BPTT window. */
    public Builder seqLength(int v) { seqLength = v; return this; }
    /** Parallel streams the text is cut into. */
    public Builder batch(int v) { batch = v; return this; }
    public Builder epochs(int v) { epochs = v; return this; }
    public Builder lr(double v) { lr = v; return this; }
    /** adam, adamw or sgd. */
    public Builder optimizer(String v) { optimizer = v; return this; }
    public Builder weightDecay(double v) { weightDecay = v; return this; }
    public Builder momentum(double v) { momentum = v; return this; }
    /** constant, step:EVERY:GAMMA, cosine or cosine:WARMUP (in optimizer steps). */
    public Builder schedule(String v) { schedule = v; return this; }
    /** Multiplies the learning rate after every epoch (char-rnn's learning_rate_decay); 1 keeps it. */
    public Builder lrDecay(double v) { lrDecay = v; return this; }
    /** Maximum global gradient norm; 0 disables clipping. */
    public Builder clip(double v) { clip = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    /** Worker threads; 0 uses every core. */
    public Builder threads(int v) { threads = v; return this; }
    /** stop or skip: what to do when the loss or a gradient is NaN or infinite. */
    public Builder onNan(String v) { onNan = v; return this; }
    /** Also checkpoint inside an epoch at most this often (seconds); 0 only at epoch ends. */
    public Builder checkpointSeconds(int v) { checkpointSeconds = v; return this; }
    /** Length of the sample written after every epoch; 0 writes none. */
    public Builder sampleLength(int v) { sampleLength = v; return this; }
    public Builder sampleTemperature(double v) { sampleTemperature = v; return this; }

    public LanguageModelConfig build() {
      if (valid != null && Double.isFinite(validFraction) && validFraction > 0) {
        throw new IllegalArgumentException("give either --valid or --valid-fraction, not both");
      }
      if (Double.isNaN(validFraction)) {
        validFraction = valid == null ? 0.1 : 0.0;
      }
      check(validFraction >= 0 && validFraction < 1, "--valid-fraction must be in [0, 1), got " + validFraction);
      tokenizer = Tokenizer.named(tokenizer).name();
      check(minFreq >= 1, "--min-freq must be at least 1, got " + minFreq);
      check(maxVocab == 0 || maxVocab > 1, "--max-vocab must be 0 (no limit) or more than 1, got " + maxVocab);
      check(cell != null, "--cell must be given");
      check(embed >= 1 && embed <= 65536, "--embed must be in 1..65536, got " + embed);
      check(hidden >= 1 && hidden <= 65536, "--hidden must be in 1..65536, got " + hidden);
      check(layers >= 1 && layers <= 64, "--layers must be in 1..64, got " + layers);
      check(dropout >= 0 && dropout < 1, "--dropout must be in [0, 1), got " + dropout);
      check(seqLength >= 1 && seqLength <= 1 << 20, "--seq-length must be in 1..1048576, got " + seqLength);
      check(batch >= 1 && batch <= 1 << 16, "--batch must be in 1..65536, got " + batch);
      check(epochs >= 1, "--epochs must be at least 1, got " + epochs);
      check(lr > 0 && Double.isFinite(lr), "--lr must be > 0, got " + lr);
      optimizer = optimizer == null ? "" : optimizer.toLowerCase(Locale.ROOT);
      check(optimizer.equals("adam") || optimizer.equals("adamw") || optimizer.equals("sgd"),
          "--optimizer must be adam, adamw or sgd, got '" + optimizer + "'");
      check(weightDecay >= 0, "--weight-decay must be >= 0, got " + weightDecay);
      check(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1), got " + momentum);
      org.rnn4j.optim.LearningRateSchedule.parse(schedule, lr, 1);
      check(lrDecay > 0 && lrDecay <= 1, "--lr-decay must be in (0, 1], got " + lrDecay);
      check(clip >= 0 && Double.isFinite(clip), "--clip must be >= 0 (0 disables), got " + clip);
      check(threads >= 0 && threads <= 1024, "--threads must be at least 1 (or 0 for all cores), got " + threads);
      onNan = onNan == null ? "" : onNan.toLowerCase(Locale.ROOT);
      check(onNan.equals("stop") || onNan.equals("skip"), "--on-nan must be stop or skip, got '" + onNan + "'");
      check(checkpointSeconds >= 0, "--checkpoint-seconds must be >= 0, got " + checkpointSeconds);
      check(sampleLength >= 0 && sampleLength <= 100_000, "--sample-length must be in 0..100000, got " + sampleLength);
      check(sampleTemperature > 0 && Double.isFinite(sampleTemperature),
          "--sample-temperature must be > 0, got " + sampleTemperature);
      return new LanguageModelConfig(this);
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
