package org.rnn4j.translate;

import org.rnn4j.InvalidSettingException;

/**
 * How a {@link Translator} decodes: a beam of K hypotheses (1 is greedy), GNMT's length penalty
 * exponent α (0: none), and the longest output as ratio × source tokens + 10, as torch_seq2seq.py
 * allows 2 × source + 10.
 */
public record DecodeOptions(int beam, float lengthPenalty, float maxLengthRatio) {
  /** @throws InvalidSettingException naming the setting out of range */
  public DecodeOptions {
    check(beam, lengthPenalty, maxLengthRatio);
  }

  /** Greedy decoding, up to 2 × source + 10 tokens. */
  public static DecodeOptions greedy() {
    return new DecodeOptions(1, 0f, 2f);
  }

  /** Beam search with K hypotheses and no length penalty. */
  public static DecodeOptions beam(int k) {
    return new DecodeOptions(k, 0f, 2f);
  }

  /** The most output tokens, eos included, for a source of n tokens. */
  public int maxOutput(int n) {
    return (int) Math.min(100_000, Math.floor(maxLengthRatio * n) + 10);
  }

  static void check(int beam, float lengthPenalty, float maxLengthRatio) {
    if (beam < 1 || beam > 1000) {
      throw new InvalidSettingException("{beam} must be in 1..1000, got " + beam);
    }
    if (!(lengthPenalty >= 0) || Float.isInfinite(lengthPenalty)) {
      throw new InvalidSettingException("{lengthPenalty} must be a number >= 0, got " + lengthPenalty);
    }
    if (!(maxLengthRatio >= 0) || Float.isInfinite(maxLengthRatio)) {
      throw new InvalidSettingException("{maxLengthRatio} must be a number >= 0, got " + maxLengthRatio);
    }
  }
}
