package org.rnn4j.train;

import java.io.IOException;
import java.util.List;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.persist.ModelDirectory;

/** Rewrites metrics.jsonl and training.png after every epoch. */
final class MetricsFiles implements LoopListener {
  private final TrainingTask task;

  MetricsFiles(TrainingTask task) {
    this.task = task;
  }

  @Override
  public void epochFinished(RunState run, EpochMetrics metrics, EpochScore score, boolean best) throws IOException {
    String title = "rnn4j " + run.settings.cell().id() + " " + task.modelNoun() + ": " + run.out.getFileName();
    List<TrainingPlot.Panel> panels = task.plotPanels();
    byte[] png = TrainingPlot.png(title, task.plotCaption(metrics.epoch()), run.history,
        panels.toArray(new TrainingPlot.Panel[0]));
    ModelDirectory.writeHistory(run.out, run.history, png);
  }
}
