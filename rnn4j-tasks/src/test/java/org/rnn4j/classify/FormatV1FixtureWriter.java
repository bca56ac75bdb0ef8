package org.rnn4j.classify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.rnn4j.nn.CellType;
import org.rnn4j.text.LabeledText;
import org.rnn4j.train.TrainingControl;
import org.rnn4j.train.TrainingListener;

/**
 * Writes the format-version-1 fixtures under src/test/resources/format-v1 that FormatV1Test loads
 * and resumes. They were written once, by the release before the shared training loop (commit
 * 6af55d4), and are committed; rerun only to make fixtures of a new format version:
 * {@code mvn -q -pl rnn4j-core,rnn4j-text install -DskipTests && mvn -q -pl rnn4j-text test
 * -Dtest=FormatV1FixtureWriter -Drnn4j.fixtures.out=/tmp/fixtures -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "rnn4j.fixtures.out", matches = ".+")
class FormatV1FixtureWriter {
  static final List<LabeledText> TRAIN = Synthetic.data(400, 11);
  static final List<LabeledText> VALID = Synthetic.data(100, 12);

  /** A small GRU classifier: 25 batches an epoch, 3 epochs. */
  static TrainingConfig config() {
    return TrainingConfig.builder().cell(CellType.GRU).embed(8).hidden(12).epochs(3).batch(16).lr(5e-3).seed(7)
        .checkpointSeconds(0).build();
  }

  /** The batch after which the fixture's run was stopped: batch 15 of epoch 2. */
  static final int STOP_AFTER_BATCHES = 40;

  @Test
  void write() throws Exception {
    Path out = Path.of(System.getProperty("rnn4j.fixtures.out"));
    Path straight = out.resolve("classifier-straight");
    ClassifierTrainer.train(config(), TRAIN, VALID, straight, TrainingControl.silent());
    Path stopped = out.resolve("classifier-stopped");
    int[] batches = {0};
    TrainingControl[] control = new TrainingControl[1];
    control[0] = TrainingControl.of(new TrainingListener() {
      @Override
      public void batchFinished(int epoch, long done, long samples, double loss, double accuracy) {
        if (++batches[0] == STOP_AFTER_BATCHES) {
          control[0].requestStop();
        }
      }
    });
    ClassifierTrainer.train(config(), TRAIN, VALID, stopped, control[0]);
    Files.deleteIfExists(stopped.resolve("training.png"));
  }
}
