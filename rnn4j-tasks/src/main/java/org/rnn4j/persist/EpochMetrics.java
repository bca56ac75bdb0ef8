package org.rnn4j.persist;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.io.Json;

/**
 * One row of metrics.jsonl: named numbers (and a sample text) in a stable order. The keys every
 * task and the command line read are the constants below, so that each is spelled once.
 */
public final class EpochMetrics {
  public static final String EPOCH = "epoch";
  public static final String TRAIN_LOSS = "train_loss";
  public static final String TRAIN_ACCURACY = "train_accuracy";
  public static final String TRAIN_BITS_PER_CHAR = "train_bits_per_char";
  public static final String VALID_LOSS = "valid_loss";
  public static final String VALID_ACCURACY = "valid_accuracy";
  public static final String VALID_MACRO_F1 = "valid_macro_f1";
  public static final String VALID_BITS_PER_CHAR = "valid_bits_per_char";
  public static final String VALID_PERPLEXITY = "valid_perplexity";
  public static final String TRAIN_TOKEN_ACCURACY = "train_token_accuracy";
  public static final String VALID_TOKEN_ACCURACY = "valid_token_accuracy";
  /** Corpus BLEU of the validation translations on the model's own tokens (sacreBLEU tokenize="none"). */
  public static final String VALID_BLEU = "valid_bleu";
  /** The same on detokenized output against the raw references (sacreBLEU tokenize="13a"). */
  public static final String VALID_BLEU_13A = "valid_bleu_13a";
  public static final String SECONDS = "seconds";
  public static final String LR = "lr";
  public static final String STEPS = "steps";
  public static final String SKIPPED_BATCHES = "skipped_batches";
  public static final String SAMPLE = "sample";
  /** Throughput keys are {@code <unit>_per_s}: samples_per_s, tokens_per_s, chars_per_s. */
  public static final String PER_SECOND = "_per_s";

  private final Map<String, Object> values;

  public EpochMetrics(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public Map<String, Object> values() {
    return values;
  }

  public int epoch() {
    return ((Number) values.get(EPOCH)).intValue();
  }

  /** The value as a double, or NaN when absent. */
  public double get(String key) {
    Object v = values.get(key);
    return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
  }

  public String text(String key) {
    Object v = values.get(key);
    return v == null ? null : v.toString();
  }

  /** The numbers alone (config.json's "best" leaves the sample text out). */
  public Map<String, Object> numbers() {
    Map<String, Object> m = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      if (v instanceof Number) {
        m.put(k, v);
      }
    });
    return m;
  }

  /** The metrics of epoch n in the history (the last entry for it), or null. */
  public static EpochMetrics ofEpoch(List<EpochMetrics> history, int n) {
    EpochMetrics found = null;
    for (EpochMetrics m : history) {
      if (m.epoch() == n) {
        found = m;
      }
    }
    return found;
  }

  @Override
  public String toString() {
    return Json.write(values);
  }
}
