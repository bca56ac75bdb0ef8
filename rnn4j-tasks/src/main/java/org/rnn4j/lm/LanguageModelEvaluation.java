package org.rnn4j.lm;

import java.util.LinkedHashMap;
import java.util.Map;

/** How well a language model predicts a text: cross-entropy per predicted token. */
public final class LanguageModelEvaluation {
  private final double totalNats;
  private final long tokens;
  private final long chars;
  private final long unknown;

  LanguageModelEvaluation(double totalNats, long tokens, long chars, long unknown) {
    this.totalNats = totalNats;
    this.tokens = tokens;
    this.chars = chars;
    this.unknown = unknown;
  }

  /** Mean cross-entropy per predicted token, in nats. */
  public double loss() {
    return totalNats / tokens;
  }

  /** Total information in bits divided by the characters predicted (= loss / ln 2 for a character model). */
  public double bitsPerChar() {
    return totalNats / Math.log(2) / chars;
  }

  /** Predicted tokens: every token of the text but the first. */
  public long tokens() {
    return tokens;
  }

  /** Characters (code points) of the predicted tokens. */
  public long chars() {
    return chars;
  }

  /** Tokens of the text that the vocabulary lacks; they count as {@code <unk>}. */
  public long unknown() {
    return unknown;
  }

  public double perplexity() {
    return Math.exp(loss());
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("loss", loss());
    m.put("bits_per_char", bitsPerChar());
    m.put("perplexity", perplexity());
    m.put("chars", chars);
    m.put("tokens", tokens);
    m.put("unknown_tokens", unknown);
    return m;
  }
}
