package org.rnn4j.persist;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.io.FormatException;

/**
 * The JSON document inside a checkpoint (metadata key {@code rnn4j.state}): everything besides
 * tensors that a run needs to resume, in format version 1. The loop's part is typed here; the
 * task's part ({@code taskState}: its vocabulary, running sums, classes...) is whatever the task
 * wrote. Every key of the loop's part is written and read here; in the file the two parts are one
 * flat object, as written since version 1.
 *
 * @param task     the task's name, as in config.json
 * @param settings the training settings' JSON
 * @param taskState the task's own keys
 */
public record CheckpointState(String task, Map<String, Object> settings, String startedAt, String dataSha256,
                              String validSha256, Position position, Selection selection,
                              List<EpochMetrics> history, Map<String, Object> taskState) {
  public static final int FORMAT_VERSION = 1;

  /**
   * Where the run is: the next batch to train, the optimizer steps so far, the dropout generator,
   * the epoch's seconds so far and the batches skipped for non-finite values.
   */
  public record Position(int epoch, int batchInEpoch, long step, long[] dropoutRng, double epochSeconds,
                         long skippedBatches) {}

  /**
   * The best epoch so far, by its score (accuracy, NaN where the task has none; then loss), and
   * the early-stopping count.
   */
  public record Selection(int bestEpoch, double bestAccuracy, double bestLoss, int epochsWithoutImprovement,
                          boolean stoppedEarly) {}

  private static final List<String> KEYS = List.of("task", "format_version", "config", "started_at", "data_sha256",
      "valid_sha256", "epoch", "batch_in_epoch", "window", "step", "dropout_rng", "epoch_seconds", "skipped_batches",
      "best_epoch", "best_accuracy", "best_loss", "epochs_without_improvement", "stopped_early", "history");

  public Map<String, Object> toJson() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("task", task);
    s.put("format_version", FORMAT_VERSION);
    s.put("config", settings);
    s.put("started_at", startedAt);
    s.put("data_sha256", dataSha256);
    s.put("valid_sha256", validSha256);
    s.put("epoch", position.epoch());
    s.put("batch_in_epoch", position.batchInEpoch());
    s.put("step", position.step());
    List<Object> rng = new ArrayList<>();
    for (long v : position.dropoutRng()) {
      rng.add(v);
    }
    s.put("dropout_rng", rng);
    s.put("epoch_seconds", position.epochSeconds());
    s.put("skipped_batches", position.skippedBatches());
    s.put("best_epoch", selection.bestEpoch());
    s.put("best_accuracy", selection.bestAccuracy());
    s.put("best_loss", selection.bestLoss());
    s.put("epochs_without_improvement", selection.epochsWithoutImprovement());
    s.put("stopped_early", selection.stoppedEarly());
    List<Object> h = new ArrayList<>();
    for (EpochMetrics m : history) {
      h.add(m.values());
    }
    s.put("history", h);
    s.putAll(taskState);
    return s;
  }

  /**
   * Reads a state document. Keys that version 1 files of one task lack (a language model's
   * {@code best_accuracy}, {@code epochs_without_improvement}; its position was {@code window})
   * take the values a fresh run starts with.
   */
  @SuppressWarnings("unchecked")
  public static CheckpointState fromJson(Map<String, Object> s, String file) throws FormatException {
    try {
      Map<String, Object> taskState = new LinkedHashMap<>(s);
      taskState.keySet().removeAll(KEYS);
      List<?> rng = (List<?>) s.get("dropout_rng");
      long[] dropout = new long[rng.size()];
      for (int i = 0; i < dropout.length; i++) {
        dropout[i] = ((Number) rng.get(i)).longValue();
      }
      Position position = new Position(number(s, "epoch").intValue(),
          number(s, s.containsKey("batch_in_epoch") ? "batch_in_epoch" : "window").intValue(),
          number(s, "step").longValue(), dropout, number(s, "epoch_seconds").doubleValue(),
          number(s, "skipped_batches").longValue());
      Selection selection = new Selection(number(s, "best_epoch").intValue(),
          numberOr(s, "best_accuracy", Double.NEGATIVE_INFINITY), numberOr(s, "best_loss", Double.POSITIVE_INFINITY),
          (int) numberOr(s, "epochs_without_improvement", 0), Boolean.TRUE.equals(s.get("stopped_early")));
      List<EpochMetrics> history = new ArrayList<>();
      for (Object o : (List<Object>) s.get("history")) {
        history.add(new EpochMetrics((Map<String, Object>) o));
      }
      return new CheckpointState((String) s.get("task"), (Map<String, Object>) s.get("config"),
          (String) s.get("started_at"), (String) s.get("data_sha256"), (String) s.get("valid_sha256"), position,
          selection, history, taskState);
    } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
      throw new FormatException(file + ": corrupt checkpoint state: " + e.getMessage());
    }
  }

  private static Number number(Map<String, Object> s, String key) {
    if (!(s.get(key) instanceof Number n)) {
      throw new IllegalArgumentException("no number '" + key + "'");
    }
    return n;
  }

  /** A number, or orElse where it is absent or null (JSON has no infinities; they are written as null). */
  private static double numberOr(Map<String, Object> s, String key, double orElse) {
    return s.get(key) instanceof Number n ? n.doubleValue() : orElse;
  }
}
