package org.rnn4j.train;

import java.io.IOException;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.persist.Provenance;

/** Commits the model directory whenever an epoch is the best so far; the directory keeps the best epoch. */
final class BestModel implements LoopListener {
  private final TrainingTask task;

  BestModel(TrainingTask task) {
    this.task = task;
  }

  @Override
  public void epochFinished(RunState run, EpochMetrics metrics, EpochScore score, boolean best) throws IOException {
    if (best) {
      Provenance provenance = Provenance.ofRun(task.dataSha256(), task.validSha256(), run.startedAt,
          run.settings.seed());
      ModelDirectory.commit(run.out, task.modelConfig(metrics.numbers(), provenance), task.vocabulary(),
          task.targetVocabulary(), task.parameters());
    }
  }
}
