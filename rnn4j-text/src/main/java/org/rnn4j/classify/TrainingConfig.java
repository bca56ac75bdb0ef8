package org.rnn4j.classify;

import static org.rnn4j.train.TrainingSupport.boolOr;
import static org.rnn4j.train.TrainingSupport.longOr;
import static org.rnn4j.train.TrainingSupport.numOr;
import static org.rnn4j.train.TrainingSupport.strOr;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Pooling;
import org.rnn4j.text.DataFormat;
import org.rnn4j.text.Tokenizer;

/**
 * Everything that defines a classifier training run. Defaults reproduce the lesson: LSTM, embedding
 * 64, hidden 32, one unidirectional layer, last-state pooling, Adam 1e-3, batch 16, one epoch,
 * basic_english tokens and a vocabulary of every training token. Validation messages name the
 * command-line flag of the offending field.
 */
public final class TrainingConfig {
  // data
  final Path data;
  final DataFormat format;
  final Path valid;
  final double validFraction;
  final String labelColumn;
  final String textColumn;
  final boolean skipBadRows;
  // text
  final String tokenizer;
  final int minFreq;
  final int maxVocab;
  final int maxLength;
  // model
  final CellType cell;
  final int embed;
  final int hidden;
  final int layers;
  final boolean bidirectional;
  final float dropout;
  final Pooling pooling;
  // training
  final int epochs;
  final int batch;
  final double lr;
  final String optimizer;
  final double weightDecay;
  final double momentum;
  final String schedule;
  final double clip;
  final long seed;
  final int threads;
  final boolean bucket;
  final int patience;
  final String onNan;
  final int checkpointSeconds;
  final boolean lazyEmbedding;

  private TrainingConfig(Builder b) {
    data = b.data;
    format = b.format;
    valid = b.valid;
    validFraction = b.validFraction;
    labelColumn = b.labelColumn;
    textColumn = b.textColumn;
    skipBadRows = b.skipBadRows;
    tokenizer = b.tokenizer;
    minFreq = b.minFreq;
    maxVocab = b.maxVocab;
    maxLength = b.maxLength;
    cell = b.cell;
    embed = b.embed;
    hidden = b.hidden;
    layers = b.layers;
    bidirectional = b.bidirectional;
    dropout = b.dropout;
    pooling = b.pooling;
    epochs = b.epochs;
    batch = b.batch;
    lr = b.lr;
    optimizer = b.optimizer;
    weightDecay = b.weightDecay;
    momentum = b.momentum;
    schedule = b.schedule;
    clip = b.clip;
    seed = b.seed;
    threads = b.threads;
    bucket = b.bucket;
    patience = b.patience;
    onNan = b.onNan;
    checkpointSeconds = b.checkpointSeconds;
    lazyEmbedding = b.lazyEmbedding;
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

  public Path valid() {
    return valid;
  }

  public int epochs() {
    return epochs;
  }

  public long seed() {
    return seed;
  }

  public int threads() {
    return threads;
  }

  /** The JSON form stored in config.json and checkpoints; keys match the command-line flags. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("data", data == null ? null : data.toString());
    m.put("format", format == null ? null : format.id());
    m.put("valid", valid == null ? null : valid.toString());
    m.put("valid_fraction", validFraction);
    m.put("label_column", labelColumn);
    m.put("text_column", textColumn);
    m.put("skip_bad_rows", skipBadRows);
    m.put("tokenizer", tokenizer);
    m.put("min_freq", minFreq);
    m.put("max_vocab", maxVocab);
    m.put("max_length", maxLength);
    m.put("cell", cell.id());
    m.put("embed", embed);
    m.put("hidden", hidden);
    m.put("layers", layers);
    m.put("bidirectional", bidirectional);
    m.put("dropout", (double) dropout);
    m.put("pooling", pooling.id());
    m.put("epochs", epochs);
    m.put("batch", batch);
    m.put("lr", lr);
    m.put("optimizer", optimizer);
    m.put("weight_decay", weightDecay);
    m.put("momentum", momentum);
    m.put("schedule", schedule);
    m.put("clip", clip);
    m.put("seed", seed);
    m.put("threads", threads);
    m.put("bucket", bucket);
    m.put("patience", patience);
    m.put("on_nan", onNan);
    m.put("checkpoint_seconds", checkpointSeconds);
    m.put("lazy_embedding", lazyEmbedding);
    return m;
  }

  /** A builder holding the values of {@link #toJson()}; unknown keys are ignored. */
  public static Builder fromJson(Map<String, Object> m) {
    Builder b = new Builder();
    if (m.get("data") != null) {
      b.data(Path.of((String) m.get("data")));
    }
    if (m.get("format") != null) {
      b.format(DataFormat.parse((String) m.get("format")));
    }
    if (m.get("valid") != null) {
      b.valid(Path.of((String) m.get("valid")));
    }
    b.validFraction(numOr(m, "valid_fraction", b.validFraction));
    b.labelColumn(strOr(m, "label_column", b.labelColumn));
    b.textColumn(strOr(m, "text_column", b.textColumn));
    b.skipBadRows(boolOr(m, "skip_bad_rows", b.skipBadRows));
    b.tokenizer(strOr(m, "tokenizer", b.tokenizer));
    b.minFreq((int) numOr(m, "min_freq", b.minFreq));
    b.maxVocab((int) numOr(m, "max_vocab", b.maxVocab));
    b.maxLength((int) numOr(m, "max_length", b.maxLength));
    b.cell(CellType.parse(strOr(m, "cell", b.cell.id())));
    b.embed((int) numOr(m, "embed", b.embed));
    b.hidden((int) numOr(m, "hidden", b.hidden));
    b.layers((int) numOr(m, "layers", b.layers));
    b.bidirectional(boolOr(m, "bidirectional", b.bidirectional));
    b.dropout((float) numOr(m, "dropout", b.dropout));
    b.pooling(Pooling.parse(strOr(m, "pooling", b.pooling.id())));
    b.epochs((int) numOr(m, "epochs", b.epochs));
    b.batch((int) numOr(m, "batch", b.batch));
    b.lr(numOr(m, "lr", b.lr));
    b.optimizer(strOr(m, "optimizer", b.optimizer));
    b.weightDecay(numOr(m, "weight_decay", b.weightDecay));
    b.momentum(numOr(m, "momentum", b.momentum));
    b.schedule(strOr(m, "schedule", b.schedule));
    b.clip(numOr(m, "clip", b.clip));
    b.seed(longOr(m, "seed", b.seed));
    b.threads((int) numOr(m, "threads", b.threads));
    b.bucket(boolOr(m, "bucket", b.bucket));
    b.patience((int) numOr(m, "patience", b.patience));
    b.onNan(strOr(m, "on_nan", b.onNan));
    b.checkpointSeconds((int) numOr(m, "checkpoint_seconds", b.checkpointSeconds));
    b.lazyEmbedding(boolOr(m, "lazy_embedding", b.lazyEmbedding));
    return b;
  }

  /** Mutable builder with the lesson's defaults; {@link #build()} validates. */
  public static final class Builder {
    Path data;
    DataFormat format;
    Path valid;
    double validFraction = Double.NaN;
    String labelColumn = "label";
    String textColumn = "text";
    boolean skipBadRows;
    String tokenizer = "basic_english";
    int minFreq = 1;
    int maxVocab;
    int maxLength;
    CellType cell = CellType.LSTM;
    int embed = 64;
    int hidden = 32;
    int layers = 1;
    boolean bidirectional;
    float dropout;
    Pooling pooling = Pooling.LAST;
    int epochs = 1;
    int batch = 16;
    double lr = 1e-3;
    String optimizer = "adam";
    double weightDecay;
    double momentum = 0.9;
    String schedule = "constant";
    double clip;
    long seed = 1;
    int threads;
    boolean bucket;
    int patience;
    String onNan = "stop";
    int checkpointSeconds = 300;
    boolean lazyEmbedding;

    public Builder data(Path v) { data = v; return this; }
    public Builder format(DataFormat v) { format = v; return this; }
    public Builder valid(Path v) { valid = v; return this; }
    /** Fraction of the training data held out for validation when no valid file is given (default 0.1; 0 disables). */
    public Builder validFraction(double v) { validFraction = v; return this; }
    public Builder labelColumn(String v) { labelColumn = v; return this; }
    public Builder textColumn(String v) { textColumn = v; return this; }
    public Builder skipBadRows(boolean v) { skipBadRows = v; return this; }
    public Builder tokenizer(String v) { tokenizer = v; return this; }
    public Builder minFreq(int v) { minFreq = v; return this; }
    public Builder maxVocab(int v) { maxVocab = v; return this; }
    public Builder maxLength(int v) { maxLength = v; return this; }
    public Builder cell(CellType v) { cell = v; return this; }
    public Builder embed(int v) { embed = v; return this; }
    public Builder hidden(int v) { hidden = v; return this; }
    public Builder layers(int v) { layers = v; return this; }
    public Builder bidirectional(boolean v) { bidirectional = v; return this; }
    public Builder dropout(float v) { dropout = v; return this; }
    public Builder pooling(Pooling v) { pooling = v; return this; }
    public Builder epochs(int v) { epochs = v; return this; }
    public Builder batch(int v) { batch = v; return this; }
    public Builder lr(double v) { lr = v; return this; }
    /** adam, adamw or sgd. */
    public Builder optimizer(String v) { optimizer = v; return this; }
    public Builder weightDecay(double v) { weightDecay = v; return this; }
    public Builder momentum(double v) { momentum = v; return this; }
    /** constant, step:EVERY:GAMMA, cosine or cosine:WARMUP (in optimizer steps). */
    public Builder schedule(String v) { schedule = v; return this; }
    /** Maximum global gradient norm; 0 disables clipping. */
    public Builder clip(double v) { clip = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    /** Worker threads; 0 uses every core. */
    public Builder threads(int v) { threads = v; return this; }
    /** Group sequences of similar length into batches (faster; changes batch composition). */
    public Builder bucket(boolean v) { bucket = v; return this; }
    /** Stop after this many epochs without a better validation accuracy; 0 never stops early. */
    public Builder patience(int v) { patience = v; return this; }
    /** stop or skip: what to do when the loss or a gradient is NaN or infinite. */
    public Builder onNan(String v) { onNan = v; return this; }
    /** Also checkpoint inside an epoch at most this often (seconds); 0 only at epoch ends. */
    public Builder checkpointSeconds(int v) { checkpointSeconds = v; return this; }
    /**
     * Update only the embedding rows a batch uses (as torch.optim.SparseAdam): much faster with a
     * large vocabulary, but no longer numerically equal to dense Adam. Adam and AdamW only.
     */
    public Builder lazyEmbedding(boolean v) { lazyEmbedding = v; return this; }

    public TrainingConfig build() {
      if (valid != null && Double.isFinite(validFraction) && validFraction > 0) {
        throw new IllegalArgumentException("give either --valid or --valid-fraction, not both");
      }
      if (Double.isNaN(validFraction)) {
        validFraction = valid == null ? 0.1 : 0.0;
      }
      check(validFraction >= 0 && validFraction < 1, "--valid-fraction must be in [0, 1), got " + validFraction);
      check(labelColumn != null && !labelColumn.isEmpty(), "--label-column must not be empty");
      check(textColumn != null && !textColumn.isEmpty(), "--text-column must not be empty");
      Tokenizer.named(tokenizer);
      tokenizer = Tokenizer.named(tokenizer).name();
      check(minFreq >= 1, "--min-freq must be at least 1, got " + minFreq);
      check(maxVocab == 0 || maxVocab > 2, "--max-vocab must be 0 (no limit) or more than 2, got " + maxVocab);
      check(maxLength >= 0, "--max-length must be 0 (no limit) or positive, got " + maxLength);
      check(embed >= 1 && embed <= 65536, "--embed must be in 1..65536, got " + embed);
      check(hidden >= 1 && hidden <= 65536, "--hidden must be in 1..65536, got " + hidden);
      check(layers >= 1 && layers <= 64, "--layers must be in 1..64, got " + layers);
      check(dropout >= 0 && dropout < 1, "--dropout must be in [0, 1), got " + dropout);
      check(epochs >= 1, "--epochs must be at least 1, got " + epochs);
      check(batch >= 1 && batch <= 1 << 16, "--batch must be in 1..65536, got " + batch);
      check(lr > 0 && Double.isFinite(lr), "--lr must be > 0, got " + lr);
      optimizer = optimizer == null ? "" : optimizer.toLowerCase(Locale.ROOT);
      check(optimizer.equals("adam") || optimizer.equals("adamw") || optimizer.equals("sgd"),
          "--optimizer must be adam, adamw or sgd, got '" + optimizer + "'");
      check(weightDecay >= 0, "--weight-decay must be >= 0, got " + weightDecay);
      check(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1), got " + momentum);
      org.rnn4j.optim.LearningRateSchedule.parse(schedule, lr, 1);
      check(clip >= 0 && Double.isFinite(clip), "--clip must be >= 0 (0 disables), got " + clip);
      check(threads >= 0 && threads <= 1024, "--threads must be at least 1 (or 0 for all cores), got " + threads);
      check(patience >= 0, "--patience must be >= 0, got " + patience);
      onNan = onNan == null ? "" : onNan.toLowerCase(Locale.ROOT);
      check(onNan.equals("stop") || onNan.equals("skip"), "--on-nan must be stop or skip, got '" + onNan + "'");
      check(checkpointSeconds >= 0, "--checkpoint-seconds must be >= 0, got " + checkpointSeconds);
      check(!lazyEmbedding || !optimizer.equals("sgd"), "--lazy-embedding needs --optimizer adam or adamw");
      return new TrainingConfig(this);
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
