package org.rnn4j.classify;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.persist.EpochMetrics;

/**
 * A classifier run's running figures of the current epoch (loss, accuracy, samples, tokens), as
 * every classification task keeps them: added to after each batch, written to metrics.jsonl after
 * the epoch, saved in and restored from the checkpoint, reset when the next epoch begins.
 */
public final class EpochFigures {
  private static final String LOSS_SUM = "loss_sum";
  private static final String CORRECT = "correct";
  private static final String SAMPLES = "samples";
  private static final String TOKENS = "tokens";

  private double lossSum;
  private long correct;
  private long samples;
  private long tokens;

  /** One batch: its summed loss (mean × size), its correct predictions, its size and tokens. */
  public void add(double batchLossSum, long batchCorrect, long batchSamples, long batchTokens) {
    lossSum += batchLossSum;
    correct += batchCorrect;
    samples += batchSamples;
    tokens += batchTokens;
  }

  public double loss() {
    return lossSum / Math.max(1, samples);
  }

  public double accuracy() {
    return (double) correct / Math.max(1, samples);
  }

  public long samples() {
    return samples;
  }

  /** Puts the training loss and accuracy into an epoch's metrics. */
  public void putTraining(Map<String, Object> metrics) {
    metrics.put(EpochMetrics.TRAIN_LOSS, loss());
    metrics.put(EpochMetrics.TRAIN_ACCURACY, accuracy());
  }

  /** Counts for throughput, by unit. */
  public Map<String, Long> throughputCounts() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put(SAMPLES, samples);
    m.put(TOKENS, tokens);
    return m;
  }

  public void reset() {
    lossSum = 0;
    correct = 0;
    samples = 0;
    tokens = 0;
  }

  /** Adds the figures to a checkpoint's task state. */
  public void saveTo(Map<String, Object> state) {
    state.put(LOSS_SUM, lossSum);
    state.put(CORRECT, correct);
    state.put(SAMPLES, samples);
    state.put(TOKENS, tokens);
  }

  /** Takes the figures back from a checkpoint's task state. */
  public void restoreFrom(Map<String, Object> state) {
    lossSum = ((Number) state.get(LOSS_SUM)).doubleValue();
    correct = ((Number) state.get(CORRECT)).longValue();
    samples = ((Number) state.get(SAMPLES)).longValue();
    tokens = ((Number) state.get(TOKENS)).longValue();
  }
}
