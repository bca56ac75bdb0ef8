package org.rnn4j.lm;

import java.util.Map;
import org.rnn4j.train.RunSettings;

/**
 * Everything that defines a language-model training run: the {@link RunSettings} every run has,
 * plus the truncated-BPTT window, the per-epoch learning-rate decay and the sample written after
 * every epoch. Defaults are those of ../shared/bench/torch_charlm.py (char-rnn's recipe):
 * characters, LSTM, embedding 64, hidden 128, one layer, windows of 64 steps over 32 parallel
 * streams, Adam 2e-3, gradient norm clipped at 5.
 */
public final class LanguageModelConfig extends RunSettings {
  final int seqLength;
  final int sampleLength;
  final double sampleTemperature;

  private LanguageModelConfig(Builder b) {
    super(b);
    seqLength = b.seqLength;
    sampleLength = b.sampleLength;
    sampleTemperature = b.sampleTemperature;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return fromJson(toJson());
  }

  @Override
  protected void putOwn(Map<String, Object> m) {
    m.put("seq_length", seqLength);
    m.put("sample_length", sampleLength);
    m.put("sample_temperature", sampleTemperature);
  }

  /** A builder holding the values of {@link #toJson()}; unknown keys are ignored. */
  public static Builder fromJson(Map<String, Object> m) {
    Builder b = new Builder().shared(m);
    b.seqLength((int) numOr(m, "seq_length", b.seqLength));
    b.sampleLength((int) numOr(m, "sample_length", b.sampleLength));
    b.sampleTemperature(numOr(m, "sample_temperature", b.sampleTemperature));
    return b;
  }

  /** Mutable builder with torch_charlm.py's defaults; {@link #build()} validates. */
  public static final class Builder extends RunSettings.Builder<Builder> {
    int seqLength = 64;
    int sampleLength = 200;
    double sampleTemperature = 0.8;

    Builder() {
      super("char", 128, 32, 2e-3, 5.0);
    }

    /** Takes the shared settings m holds (see {@link RunSettings#toJson()}). */
    Builder shared(Map<String, Object> m) {
      readShared(m);
      return this;
    }

    /** Steps per truncated-BPTT window. */
    public Builder seqLength(int v) { seqLength = v; return this; }
    /** Length of the sample written after every epoch; 0 writes none. */
    public Builder sampleLength(int v) { sampleLength = v; return this; }
    public Builder sampleTemperature(double v) { sampleTemperature = v; return this; }

    public LanguageModelConfig build() {
      checkShared(2);
      check(seqLength >= 1 && seqLength <= 1 << 20, "{seqLength} must be in 1..1048576, got " + seqLength);
      check(sampleLength >= 0 && sampleLength <= 100_000, "{sampleLength} must be in 0..100000, got " + sampleLength);
      check(sampleTemperature > 0 && Double.isFinite(sampleTemperature),
          "{sampleTemperature} must be > 0, got " + sampleTemperature);
      return new LanguageModelConfig(this);
    }
  }
}
