package org.rnn4j.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.optim.LearningRateSchedule;
import org.rnn4j.persist.CheckpointState;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.random.Rng;

/**
 * Where a run is, as the loop and its listeners share it: position, time, the metrics history and
 * the best epoch. All of it goes into the checkpoint ({@link #toCheckpoint}), so a resumed run
 * continues exactly.
 */
final class RunState {
  final RunSettings settings;
  final Path out;
  final String startedAt;
  final List<EpochMetrics> history = new ArrayList<>();
  int epoch = 1;
  /** The next batch of the epoch to train. */
  int batchInEpoch;
  long step;
  Rng dropoutRng;
  double epochSeconds;
  long skippedBatches;
  int bestEpoch;
  double bestAccuracy = Double.NEGATIVE_INFINITY;
  double bestLoss = Double.POSITIVE_INFINITY;
  int epochsWithoutImprovement;
  boolean stoppedEarly;
  /** Counts checkpoint writes, so that a listener can tell one happened since it last looked. */
  long checkpointsWritten;
  private long clock;

  RunState(RunSettings settings, Path out, String startedAt) {
    this.settings = settings;
    this.out = out;
    this.startedAt = startedAt;
  }

  /** Starts timing the epoch's training (not its evaluation or checkpoints). */
  void startClock() {
    clock = System.nanoTime();
  }

  /** Adds the time since {@link #startClock} or the last lap to the epoch's seconds. */
  void lap() {
    long now = System.nanoTime();
    epochSeconds += (now - clock) / 1e9;
    clock = now;
  }

  /** The learning rate of the current step: the schedule's, times lr-decay per finished epoch. */
  double learningRate(LearningRateSchedule schedule, long atStep) {
    double decay = settings.lrDecay();
    return decay == 1 ? schedule.at(atStep) : schedule.at(atStep) * Math.pow(decay, epoch - 1);
  }

  /** Takes the epoch's score into the selection; true when it is the best so far. */
  boolean record(EpochScore score) {
    if (score.beats(bestAccuracy, bestLoss)) {
      bestAccuracy = score.accuracy();
      bestLoss = score.loss();
      bestEpoch = epoch;
      epochsWithoutImprovement = 0;
      return true;
    }
    epochsWithoutImprovement++;
    return false;
  }

  /** Moves to the first batch of the next epoch. */
  void nextEpoch() {
    epoch++;
    batchInEpoch = 0;
    epochSeconds = 0;
  }

  EpochMetrics best() {
    return EpochMetrics.ofEpoch(history, bestEpoch);
  }

  CheckpointState toCheckpoint(TrainingTask task) {
    return new CheckpointState(task.name(), settings.toJson(), startedAt, task.dataSha256(), task.validSha256(),
        new CheckpointState.Position(epoch, batchInEpoch, step, dropoutRng.state(), epochSeconds, skippedBatches),
        new CheckpointState.Selection(bestEpoch, bestAccuracy, bestLoss, epochsWithoutImprovement, stoppedEarly),
        history, task.checkpointState());
  }

  void restore(CheckpointState s) {
    CheckpointState.Position p = s.position();
    epoch = p.epoch();
    batchInEpoch = p.batchInEpoch();
    step = p.step();
    dropoutRng = Rng.fromState(p.dropoutRng());
    epochSeconds = p.epochSeconds();
    skippedBatches = p.skippedBatches();
    CheckpointState.Selection b = s.selection();
    bestEpoch = b.bestEpoch();
    bestAccuracy = b.bestAccuracy();
    bestLoss = b.bestLoss();
    epochsWithoutImprovement = b.epochsWithoutImprovement();
    stoppedEarly = b.stoppedEarly();
    history.addAll(s.history());
  }
}
