package org.rnn4j.train;

import org.rnn4j.persist.EpochMetrics;

/** Tells the caller's {@link TrainingListener} how the run goes. */
final class ProgressEvents implements LoopListener {
  private final TrainingTask task;
  private final TrainingListener listener;

  ProgressEvents(TrainingTask task, TrainingListener listener) {
    this.task = task;
    this.listener = listener;
  }

  @Override
  public void epochStarted(RunState run) {
    listener.epochStarted(run.epoch, run.settings.epochs(), task.samplesPerEpoch());
  }

  @Override
  public void batchFinished(RunState run) {
    listener.batchFinished(run.epoch, task.samplesDone(run.batchInEpoch), task.samplesPerEpoch(), task.runningLoss(),
        task.runningAccuracy());
  }

  @Override
  public void evaluating(RunState run) {
    listener.evaluating(run.epoch);
  }

  @Override
  public void epochFinished(RunState run, EpochMetrics metrics, EpochScore score, boolean best) {
    listener.epochFinished(metrics, best);
  }
}
