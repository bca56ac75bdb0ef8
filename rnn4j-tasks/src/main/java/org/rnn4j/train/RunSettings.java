package org.rnn4j.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.optim.Adam;
import org.rnn4j.optim.LearningRateSchedule;
import org.rnn4j.optim.Optimizer;
import org.rnn4j.optim.Sgd;
import org.rnn4j.text.Tokenizer;

/**
 * What every training run is configured with, whatever the task: data, vocabulary, the recurrent
 * model's shape and the optimisation. One JSON form (keys are the command-line flags) and one set of
 * checks, whose messages name the builder setting (the CLI shows its flag), serve the classifier's
 * and the language model's configs; each adds its own settings and defaults.
 */
public abstract class RunSettings {
  /** The most worker threads a run accepts: far above any machine this runs on, far below a typo's 10000. */
  public static final int MAX_THREADS = 1024;
  /** The on-NaN policy that skips a bad batch; "stop" ends the run. */
  public static final String ON_NAN_SKIP = "skip";

  private final Path data;
  private final Path valid;
  private final double validFraction;
  private final String tokenizer;
  private final int minFreq;
  private final int maxVocab;
  private final CellType cell;
  private final int embed;
  private final int hidden;
  private final int layers;
  private final float dropout;
  private final int epochs;
  private final int batch;
  private final double lr;
  private final String optimizer;
  private final double weightDecay;
  private final double momentum;
  private final String schedule;
  private final double clip;
  private final long seed;
  private final int threads;
  private final String onNan;
  private final int checkpointSeconds;
  private final int patience;
  private final double lrDecay;

  protected RunSettings(Builder<?> b) {
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
    onNan = b.onNan;
    checkpointSeconds = b.checkpointSeconds;
    patience = b.patience;
    lrDecay = b.lrDecay;
  }

  public Path data() { return data; }
  public Path valid() { return valid; }
  public double validFraction() { return validFraction; }
  public String tokenizer() { return tokenizer; }
  public int minFreq() { return minFreq; }
  public int maxVocab() { return maxVocab; }
  public CellType cell() { return cell; }
  public int embed() { return embed; }
  public int hidden() { return hidden; }
  public int layers() { return layers; }
  public float dropout() { return dropout; }
  public int epochs() { return epochs; }
  public int batch() { return batch; }
  public double lr() { return lr; }
  public String optimizer() { return optimizer; }
  public double weightDecay() { return weightDecay; }
  public double momentum() { return momentum; }
  public String schedule() { return schedule; }
  public double clip() { return clip; }
  public long seed() { return seed; }
  public int threads() { return threads; }
  public String onNan() { return onNan; }
  public int checkpointSeconds() { return checkpointSeconds; }
  public int patience() { return patience; }
  public double lrDecay() { return lrDecay; }

  /** The optimizer these settings name (adam, adamw with decoupled decay 0.01 unless given, sgd), with torch.optim's defaults. */
  public Optimizer newOptimizer(ParameterSet params) {
    return switch (optimizer) {
      case "adamw" -> new Adam(params, 0.9, 0.999, 1e-8, weightDecay == 0 ? 0.01 : weightDecay, true);
      case "sgd" -> new Sgd(params, momentum, 0, false, weightDecay);
      default -> new Adam(params, 0.9, 0.999, 1e-8, weightDecay, false);
    };
  }

  /** The JSON form stored in config.json and checkpoints; keys match the command-line flags. */
  public final Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    putShared(m);
    putOwn(m);
    return m;
  }

  /** Adds the task's own settings to {@link #toJson()}, after the shared ones. */
  protected abstract void putOwn(Map<String, Object> m);

  private void putShared(Map<String, Object> m) {
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
    m.put("on_nan", onNan);
    m.put("checkpoint_seconds", checkpointSeconds);
    m.put("patience", patience);
    m.put("lr_decay", lrDecay);
  }

  /**
   * Mutable builder of the shared settings, with the defaults its task gives; B is the task's own
   * builder, so that setters chain across both.
   */
  public abstract static class Builder<B extends Builder<B>> {
    private Path data;
    private Path valid;
    private double validFraction = Double.NaN;
    private String tokenizer;
    private int minFreq = 1;
    private int maxVocab;
    private CellType cell = CellType.LSTM;
    private int embed = 64;
    private int hidden;
    private int layers = 1;
    private float dropout;
    private int epochs = 1;
    private int batch;
    private double lr;
    private String optimizer = "adam";
    private double weightDecay;
    private double momentum = 0.9;
    private String schedule = "constant";
    private double clip;
    private long seed = 1;
    private int threads;
    private String onNan = "stop";
    private int checkpointSeconds = 300;
    private int patience;
    private double lrDecay = 1.0;

    /** The defaults in which the two tasks differ. */
    protected Builder(String tokenizer, int hidden, int batch, double lr, double clip) {
      this.tokenizer = tokenizer;
      this.hidden = hidden;
      this.batch = batch;
      this.lr = lr;
      this.clip = clip;
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    public B data(Path v) { data = v; return self(); }
    public B valid(Path v) { valid = v; return self(); }
    /** Fraction of the training data held out for validation when no valid file is given (default 0.1; 0 disables). */
    public B validFraction(double v) { validFraction = v; return self(); }
    /** basic_english, whitespace or char. */
    public B tokenizer(String v) { tokenizer = v; return self(); }
    public B minFreq(int v) { minFreq = v; return self(); }
    public B maxVocab(int v) { maxVocab = v; return self(); }
    public B cell(CellType v) { cell = v; return self(); }
    public B embed(int v) { embed = v; return self(); }
    public B hidden(int v) { hidden = v; return self(); }
    public B layers(int v) { layers = v; return self(); }
    /** Dropout between recurrent layers (training only). */
    public B dropout(float v) { dropout = v; return self(); }
    public B epochs(int v) { epochs = v; return self(); }
    /** Sequences per batch (a language model: the parallel streams the text is cut into). */
    public B batch(int v) { batch = v; return self(); }
    public B lr(double v) { lr = v; return self(); }
    /** adam, adamw or sgd. */
    public B optimizer(String v) { optimizer = v; return self(); }
    public B weightDecay(double v) { weightDecay = v; return self(); }
    public B momentum(double v) { momentum = v; return self(); }
    /** constant, step:EVERY:GAMMA, cosine or cosine:WARMUP (in optimizer steps). */
    public B schedule(String v) { schedule = v; return self(); }
    /** Maximum global gradient norm; 0 disables clipping. */
    public B clip(double v) { clip = v; return self(); }
    public B seed(long v) { seed = v; return self(); }
    /** Worker threads; 0 uses every core. */
    public B threads(int v) { threads = v; return self(); }
    /** stop or skip: what to do when the loss or a gradient is NaN or infinite. */
    public B onNan(String v) { onNan = v; return self(); }
    /** Also checkpoint inside an epoch at most this often (seconds); 0 only at epoch ends. */
    public B checkpointSeconds(int v) { checkpointSeconds = v; return self(); }
    /** Stop after this many epochs without a better validation score; 0 never stops early. */
    public B patience(int v) { patience = v; return self(); }
    /** Multiplies the learning rate after every epoch (char-rnn's learning_rate_decay); 1 keeps it. */
    public B lrDecay(double v) { lrDecay = v; return self(); }

    /** Reads the shared keys of {@link RunSettings#toJson()} that m has; unknown keys are ignored. */
    protected final void readShared(Map<String, Object> m) {
      if (m.get("data") != null) {
        data(Path.of((String) m.get("data")));
      }
      if (m.get("valid") != null) {
        valid(Path.of((String) m.get("valid")));
      }
      validFraction(numOr(m, "valid_fraction", validFraction));
      tokenizer(strOr(m, "tokenizer", tokenizer));
      minFreq((int) numOr(m, "min_freq", minFreq));
      maxVocab((int) numOr(m, "max_vocab", maxVocab));
      cell(CellType.parse(strOr(m, "cell", cell.id())));
      embed((int) numOr(m, "embed", embed));
      hidden((int) numOr(m, "hidden", hidden));
      layers((int) numOr(m, "layers", layers));
      dropout((float) numOr(m, "dropout", dropout));
      epochs((int) numOr(m, "epochs", epochs));
      batch((int) numOr(m, "batch", batch));
      lr(numOr(m, "lr", lr));
      optimizer(strOr(m, "optimizer", optimizer));
      weightDecay(numOr(m, "weight_decay", weightDecay));
      momentum(numOr(m, "momentum", momentum));
      schedule(strOr(m, "schedule", schedule));
      clip(numOr(m, "clip", clip));
      seed(longOr(m, "seed", seed));
      threads((int) numOr(m, "threads", threads));
      onNan(strOr(m, "on_nan", onNan));
      checkpointSeconds((int) numOr(m, "checkpoint_seconds", checkpointSeconds));
      patience((int) numOr(m, "patience", patience));
      lrDecay(numOr(m, "lr_decay", lrDecay));
    }

    /** Whether validation pairs of their own are given ({@code valid}, or a task's own form of it). */
    protected boolean hasValidationSet() {
      return valid != null;
    }

    /** The validation file given, or null. */
    protected final Path valid() {
      return valid;
    }

    /**
     * Checks the shared settings and normalises them (names lower-cased, the validation fraction
     * resolved); a subclass's build() calls it first. smallestVocab is the least maxVocab that
     * leaves room for a real token besides the task's special entries.
     */
    protected final void checkShared(int smallestVocab) {
      if (hasValidationSet() && Double.isFinite(validFraction) && validFraction > 0) {
        throw new InvalidSettingException("give either {valid} or {validFraction}, not both");
      }
      if (Double.isNaN(validFraction)) {
        validFraction = hasValidationSet() ? 0.0 : 0.1;
      }
      check(validFraction >= 0 && validFraction < 1, "{validFraction} must be in [0, 1), got " + validFraction);
      tokenizer = Tokenizer.named(tokenizer).name();
      check(minFreq >= 1, "{minFreq} must be at least 1, got " + minFreq);
      check(maxVocab == 0 || maxVocab >= smallestVocab,
          "{maxVocab} must be 0 (no limit) or more than " + (smallestVocab - 1) + ", got " + maxVocab);
      check(cell != null, "{cell} must be given");
      check(embed >= 1 && embed <= 65536, "{embed} must be in 1..65536, got " + embed);
      check(hidden >= 1 && hidden <= 65536, "{hidden} must be in 1..65536, got " + hidden);
      check(layers >= 1 && layers <= 64, "{layers} must be in 1..64, got " + layers);
      check(dropout >= 0 && dropout < 1, "{dropout} must be in [0, 1), got " + dropout);
      check(epochs >= 1, "{epochs} must be at least 1, got " + epochs);
      check(batch >= 1 && batch <= 1 << 16, "{batch} must be in 1..65536, got " + batch);
      check(lr > 0 && Double.isFinite(lr), "{lr} must be > 0, got " + lr);
      optimizer = optimizer == null ? "" : optimizer.toLowerCase(Locale.ROOT);
      check(optimizer.equals("adam") || optimizer.equals("adamw") || optimizer.equals("sgd"),
          "{optimizer} must be adam, adamw or sgd, got '" + optimizer + "'");
      check(weightDecay >= 0, "{weightDecay} must be >= 0, got " + weightDecay);
      check(momentum >= 0 && momentum < 1, "{momentum} must be in [0, 1), got " + momentum);
      LearningRateSchedule.parse(schedule, lr, 1);
      check(clip >= 0 && Double.isFinite(clip), "{clip} must be >= 0 (0 disables), got " + clip);
      check(threads >= 0 && threads <= MAX_THREADS,
          "{threads} must be in 1.." + MAX_THREADS + " (or 0 for all cores), got " + threads);
      onNan = onNan == null ? "" : onNan.toLowerCase(Locale.ROOT);
      check(onNan.equals("stop") || onNan.equals("skip"), "{onNan} must be stop or skip, got '" + onNan + "'");
      check(checkpointSeconds >= 0, "{checkpointSeconds} must be >= 0, got " + checkpointSeconds);
      check(patience >= 0, "{patience} must be >= 0, got " + patience);
      check(lrDecay > 0 && lrDecay <= 1, "{lrDecay} must be in (0, 1], got " + lrDecay);
    }

    /** The embedding and hidden sizes, for task checks that relate them. */
    protected final int embedSize() {
      return embed;
    }

    protected final int hiddenSize() {
      return hidden;
    }

    /** The optimizer name as {@link #checkShared} left it, for task checks that depend on it. */
    protected final String optimizerName() {
      return optimizer;
    }

    /** Throws {@link InvalidSettingException} with message (settings written {@code {name}}) unless ok. */
    protected static void check(boolean ok, String message) {
      if (!ok) {
        throw new InvalidSettingException(message);
      }
    }
  }

  /**
   * A number of a settings document, or {@code orElse} where it is absent or null (older files;
   * JSON has no infinities).
   */
  protected static double numOr(Map<String, Object> m, String k, double orElse) {
    return m.get(k) instanceof Number n ? n.doubleValue() : orElse;
  }

  /** An integer of a settings document read exactly (a seed above 2^53 survives), or {@code orElse}. */
  protected static long longOr(Map<String, Object> m, String k, long orElse) {
    return m.get(k) instanceof Number n ? n.longValue() : orElse;
  }

  /** A string of a settings document, or {@code orElse} where it is absent. */
  protected static String strOr(Map<String, Object> m, String k, String orElse) {
    return m.get(k) instanceof String v ? v : orElse;
  }

  /** A boolean of a settings document, or {@code orElse} where it is absent. */
  protected static boolean boolOr(Map<String, Object> m, String k, boolean orElse) {
    return m.get(k) instanceof Boolean v ? v : orElse;
  }
}
