package org.rnn4j.translate;

import java.nio.file.Path;
import java.util.Map;
import org.rnn4j.nn.Attention;
import org.rnn4j.nn.CellType;
import org.rnn4j.train.RunSettings;

/**
 * Everything that defines a translation training run: the {@link RunSettings} every run has (with
 * {@code data} a TSV or CSV of sentence pairs, or {@link Builder#sourceFile}/{@link Builder#targetFile}
 * parallel files instead, and {@code valid} likewise a table or {@link Builder#validSourceFile}/
 * {@link Builder#validTargetFile}), plus the columns, the source length limit, the attention, a bidirectional
 * encoder, label smoothing and the decoding of the per-epoch BLEU. Defaults are the recipe of
 * ../shared/bench/torch_seq2seq.py: the word tokenizer, GRU, embedding 128, hidden 256, one layer,
 * additive attention, batch 32, Adam 1e-3, clipping 1.0, pairs of at most 25 tokens, 15 epochs.
 */
public final class TranslationConfig extends RunSettings {
  final String sourceColumn;
  final String targetColumn;
  final Path sourceFile;
  final Path targetFile;
  final Path validSourceFile;
  final Path validTargetFile;
  final int maxLength;
  final Attention.Kind attention;
  final boolean bidirectional;
  final boolean tiedEmbeddings;
  final float labelSmoothing;
  final float teacherForcing;
  final int beam;
  final float lengthPenalty;
  final float maxLengthRatio;

  private TranslationConfig(Builder b) {
    super(b);
    sourceColumn = b.sourceColumn;
    targetColumn = b.targetColumn;
    sourceFile = b.sourceFile;
    targetFile = b.targetFile;
    validSourceFile = b.validSourceFile;
    validTargetFile = b.validTargetFile;
    maxLength = b.maxLength;
    attention = b.attention;
    bidirectional = b.bidirectional;
    tiedEmbeddings = b.tiedEmbeddings;
    labelSmoothing = b.labelSmoothing;
    teacherForcing = b.teacherForcing;
    beam = b.beam;
    lengthPenalty = b.lengthPenalty;
    maxLengthRatio = b.maxLengthRatio;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return fromJson(toJson());
  }

  public int maxLength() {
    return maxLength;
  }

  public Attention.Kind attention() {
    return attention;
  }

  /** How the per-epoch BLEU decodes. */
  public DecodeOptions decodeOptions() {
    return new DecodeOptions(beam, lengthPenalty, maxLengthRatio);
  }

  @Override
  protected void putOwn(Map<String, Object> m) {
    m.put("source_column", sourceColumn);
    m.put("target_column", targetColumn);
    m.put("source_file", sourceFile == null ? null : sourceFile.toString());
    m.put("target_file", targetFile == null ? null : targetFile.toString());
    m.put("valid_source_file", validSourceFile == null ? null : validSourceFile.toString());
    m.put("valid_target_file", validTargetFile == null ? null : validTargetFile.toString());
    m.put("max_length", maxLength);
    m.put("attention", attention.id());
    m.put("bidirectional", bidirectional);
    m.put("tie_embeddings", tiedEmbeddings);
    m.put("label_smoothing", (double) labelSmoothing);
    m.put("teacher_forcing", (double) teacherForcing);
    m.put("beam", beam);
    m.put("length_penalty", (double) lengthPenalty);
    m.put("max_length_ratio", (double) maxLengthRatio);
  }

  /** A builder holding the values of {@link #toJson()}; unknown keys are ignored. */
  public static Builder fromJson(Map<String, Object> m) {
    Builder b = new Builder().shared(m);
    b.sourceColumn(strOr(m, "source_column", b.sourceColumn));
    b.targetColumn(strOr(m, "target_column", b.targetColumn));
    if (m.get("source_file") instanceof String s) {
      b.sourceFile(Path.of(s));
    }
    if (m.get("target_file") instanceof String s) {
      b.targetFile(Path.of(s));
    }
    if (m.get("valid_source_file") instanceof String s) {
      b.validSourceFile(Path.of(s));
    }
    if (m.get("valid_target_file") instanceof String s) {
      b.validTargetFile(Path.of(s));
    }
    b.maxLength((int) numOr(m, "max_length", b.maxLength));
    b.attention(Attention.Kind.parse(strOr(m, "attention", b.attention.id())));
    b.bidirectional(boolOr(m, "bidirectional", b.bidirectional));
    b.tieEmbeddings(boolOr(m, "tie_embeddings", b.tiedEmbeddings));
    b.labelSmoothing((float) numOr(m, "label_smoothing", b.labelSmoothing));
    b.teacherForcing((float) numOr(m, "teacher_forcing", b.teacherForcing));
    b.beam((int) numOr(m, "beam", b.beam));
    b.lengthPenalty((float) numOr(m, "length_penalty", b.lengthPenalty));
    b.maxLengthRatio((float) numOr(m, "max_length_ratio", b.maxLengthRatio));
    return b;
  }

  /** Mutable builder with torch_seq2seq.py's defaults; {@link #build()} validates. */
  public static final class Builder extends RunSettings.Builder<Builder> {
    String sourceColumn = "source";
    String targetColumn = "target";
    Path sourceFile;
    Path targetFile;
    Path validSourceFile;
    Path validTargetFile;
    int maxLength = 25;
    Attention.Kind attention = Attention.Kind.ADDITIVE;
    boolean bidirectional;
    boolean tiedEmbeddings;
    float labelSmoothing;
    float teacherForcing = 1f;
    int beam = 1;
    float lengthPenalty;
    float maxLengthRatio = 2f;

    Builder() {
      super("word", 256, 32, 1e-3, 1.0);
      cell(CellType.GRU);
      embed(128);
      epochs(15);
    }

    /** Takes the shared settings m holds (see {@link RunSettings#toJson()}). */
    Builder shared(Map<String, Object> m) {
      readShared(m);
      return this;
    }

    /** The header of the source column in a TSV or CSV {@code data} file (default "source"). */
    public Builder sourceColumn(String v) { sourceColumn = v; return this; }
    public Builder targetColumn(String v) { targetColumn = v; return this; }
    /** Plain text, one source sentence per line, instead of {@code data}; with {@link #targetFile}. */
    public Builder sourceFile(Path v) { sourceFile = v; return this; }
    public Builder targetFile(Path v) { targetFile = v; return this; }
    /** Validation pairs as two parallel files, one sentence per line, instead of {@code valid}. */
    public Builder validSourceFile(Path v) { validSourceFile = v; return this; }
    public Builder validTargetFile(Path v) { validTargetFile = v; return this; }
    /** Training pairs longer than this many tokens on either side are left out; sources are cut to it. */
    public Builder maxLength(int v) { maxLength = v; return this; }
    public Builder attention(Attention.Kind v) { attention = v; return this; }
    /** A bidirectional encoder, joined to the decoder by a learned bridge. */
    public Builder bidirectional(boolean v) { bidirectional = v; return this; }
    /** The decoder's output layer shares the target embedding's weight (needs {@code embed} = {@code hidden}). */
    public Builder tieEmbeddings(boolean v) { tiedEmbeddings = v; return this; }
    /** PyTorch's label_smoothing of the cross-entropy, in [0, 1). */
    public Builder labelSmoothing(float v) { labelSmoothing = v; return this; }
    /**
     * The share of batches trained with teacher forcing (the decoder reads the reference's previous
     * token); the others feed the decoder its own most likely token, as PyTorch's seq2seq tutorial
     * does. Drawn per batch from the run's seeded generator, so resumed runs draw the same.
     */
    public Builder teacherForcing(float v) { teacherForcing = v; return this; }
    /** Beam of the per-epoch BLEU's decoding; 1 is greedy, as torch_seq2seq.py. */
    public Builder beam(int v) { beam = v; return this; }
    public Builder lengthPenalty(float v) { lengthPenalty = v; return this; }
    public Builder maxLengthRatio(float v) { maxLengthRatio = v; return this; }

    @Override
    protected boolean hasValidationSet() {
      return super.hasValidationSet() || validSourceFile != null || validTargetFile != null;
    }

    public TranslationConfig build() {
      check((validSourceFile == null) == (validTargetFile == null), "{validSourceFile} and {validTargetFile} go together");
      check(validSourceFile == null || valid() == null,
          "give either {valid} or {validSourceFile} and {validTargetFile}, not both");
      checkShared(5);
      check(sourceColumn != null && !sourceColumn.isEmpty(), "{sourceColumn} must not be empty");
      check(targetColumn != null && !targetColumn.isEmpty(), "{targetColumn} must not be empty");
      check(!sourceColumn.equals(targetColumn), "{sourceColumn} and {targetColumn} must differ, both are '"
          + sourceColumn + "'");
      check(maxLength >= 1 && maxLength <= 100_000, "{maxLength} must be in 1..100000, got " + maxLength);
      check(attention != null, "{attention} must be given");
      check(!(attention == Attention.Kind.DOT && bidirectional),
          "{attention} dot needs encoder outputs of the decoder's size: use general or additive with {bidirectional}");
      check(!tiedEmbeddings || embedSize() == hiddenSize(), "{tieEmbeddings} needs {embed} (" + embedSize()
          + ") equal to {hidden} (" + hiddenSize() + ")");
      check(labelSmoothing >= 0 && labelSmoothing < 1, "{labelSmoothing} must be in [0, 1), got " + labelSmoothing);
      check(teacherForcing > 0 && teacherForcing <= 1, "{teacherForcing} must be in (0, 1], got " + teacherForcing);
      DecodeOptions.check(beam, lengthPenalty, maxLengthRatio);
      return new TranslationConfig(this);
    }
  }
}
