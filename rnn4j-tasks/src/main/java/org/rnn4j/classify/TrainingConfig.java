package org.rnn4j.classify;

import java.util.Map;
import org.rnn4j.nn.Pooling;
import org.rnn4j.text.DataFormat;
import org.rnn4j.train.RunSettings;

/**
 * Everything that defines a classifier training run: the {@link RunSettings} every run has, plus
 * how labelled texts are read, pooling, bidirectional layers, batching by length, early stopping
 * and the lazy embedding update. Defaults reproduce the lesson: LSTM, embedding 64, hidden 32, one
 * unidirectional layer, last-state pooling, Adam 1e-3, batch 16, one epoch, basic_english tokens
 * and a vocabulary of every training token.
 */
public final class TrainingConfig extends RunSettings {
  final DataFormat format;
  final String labelColumn;
  final String textColumn;
  final boolean skipBadRows;
  final int maxLength;
  final boolean bidirectional;
  final Pooling pooling;
  final boolean bucket;
  final boolean lazyEmbedding;

  private TrainingConfig(Builder b) {
    super(b);
    format = b.format;
    labelColumn = b.labelColumn;
    textColumn = b.textColumn;
    skipBadRows = b.skipBadRows;
    maxLength = b.maxLength;
    bidirectional = b.bidirectional;
    pooling = b.pooling;
    bucket = b.bucket;
    lazyEmbedding = b.lazyEmbedding;
  }

  public static Builder builder() {
    return new Builder();
  }

  public DataFormat format() { return format; }
  public String labelColumn() { return labelColumn; }
  public String textColumn() { return textColumn; }
  public boolean skipBadRows() { return skipBadRows; }
  /** Texts are cut to this many tokens; 0 keeps them whole. */
  public int maxLength() { return maxLength; }
  public boolean bidirectional() { return bidirectional; }
  public Pooling pooling() { return pooling; }
  public boolean bucket() { return bucket; }
  public boolean lazyEmbedding() { return lazyEmbedding; }

  public Builder toBuilder() {
    return fromJson(toJson());
  }

  @Override
  protected void putOwn(Map<String, Object> m) {
    m.put("format", format == null ? null : format.id());
    m.put("label_column", labelColumn);
    m.put("text_column", textColumn);
    m.put("skip_bad_rows", skipBadRows);
    m.put("max_length", maxLength);
    m.put("bidirectional", bidirectional);
    m.put("pooling", pooling.id());
    m.put("bucket", bucket);
    m.put("lazy_embedding", lazyEmbedding);
  }

  /** A builder holding the values of {@link #toJson()}; unknown keys are ignored. */
  public static Builder fromJson(Map<String, Object> m) {
    Builder b = new Builder().shared(m);
    if (m.get("format") != null) {
      b.format(DataFormat.parse((String) m.get("format")));
    }
    b.labelColumn(strOr(m, "label_column", b.labelColumn));
    b.textColumn(strOr(m, "text_column", b.textColumn));
    b.skipBadRows(boolOr(m, "skip_bad_rows", b.skipBadRows));
    b.maxLength((int) numOr(m, "max_length", b.maxLength));
    b.bidirectional(boolOr(m, "bidirectional", b.bidirectional));
    b.pooling(Pooling.parse(strOr(m, "pooling", b.pooling.id())));
    b.bucket(boolOr(m, "bucket", b.bucket));
    b.lazyEmbedding(boolOr(m, "lazy_embedding", b.lazyEmbedding));
    return b;
  }

  /** Mutable builder with the lesson's defaults; {@link #build()} validates. */
  public static final class Builder extends RunSettings.Builder<Builder> {
    DataFormat format;
    String labelColumn = "label";
    String textColumn = "text";
    boolean skipBadRows;
    int maxLength;
    boolean bidirectional;
    Pooling pooling = Pooling.LAST;
    boolean bucket;
    boolean lazyEmbedding;

    Builder() {
      super("basic_english", 32, 16, 1e-3, 0);
    }

    /** Takes the shared settings m holds (see {@link RunSettings#toJson()}). */
    Builder shared(Map<String, Object> m) {
      readShared(m);
      return this;
    }

    public Builder format(DataFormat v) { format = v; return this; }
    public Builder labelColumn(String v) { labelColumn = v; return this; }
    public Builder textColumn(String v) { textColumn = v; return this; }
    public Builder skipBadRows(boolean v) { skipBadRows = v; return this; }
    public Builder maxLength(int v) { maxLength = v; return this; }
    public Builder bidirectional(boolean v) { bidirectional = v; return this; }
    public Builder pooling(Pooling v) { pooling = v; return this; }
    /** Group sequences of similar length into batches (faster; changes batch composition). */
    public Builder bucket(boolean v) { bucket = v; return this; }
    /**
     * Update only the embedding rows a batch uses (as torch.optim.SparseAdam): much faster with a
     * large vocabulary, but no longer numerically equal to dense Adam. Adam and AdamW only.
     */
    public Builder lazyEmbedding(boolean v) { lazyEmbedding = v; return this; }

    public TrainingConfig build() {
      checkShared(3); // room for <unk>, <pad> and a token
      check(labelColumn != null && !labelColumn.isEmpty(), "{labelColumn} must not be empty");
      check(textColumn != null && !textColumn.isEmpty(), "{textColumn} must not be empty");
      check(maxLength >= 0, "{maxLength} must be 0 (no limit) or positive, got " + maxLength);
      check(pooling != null, "{pooling} must be given");
      check(!lazyEmbedding || !optimizerName().equals("sgd"), "{lazyEmbedding} needs {optimizer} adam or adamw");
      return new TrainingConfig(this);
    }
  }
}
