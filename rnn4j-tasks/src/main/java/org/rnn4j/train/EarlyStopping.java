package org.rnn4j.train;

import org.rnn4j.persist.EpochMetrics;

/** Ends the run after {@code patience} epochs without a better score (0 never stops early). */
final class EarlyStopping implements LoopListener {
  private final TrainingTask task;
  private final TrainingListener messages;

  EarlyStopping(TrainingTask task, TrainingListener messages) {
    this.task = task;
    this.messages = messages;
  }

  @Override
  public void epochFinished(RunState run, EpochMetrics metrics, EpochScore score, boolean best) {
    int patience = run.settings.patience();
    if (patience > 0 && run.epochsWithoutImprovement >= patience && run.epoch < run.settings.epochs()) {
      run.stoppedEarly = true;
      messages.message("early stop: " + task.scoreName() + " has not improved for " + patience + " epochs");
    }
  }
}
