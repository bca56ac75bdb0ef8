package org.rnn4j.classify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.persist.Checkpoint;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.text.LabeledText;
import org.rnn4j.train.TrainingControl;
import org.rnn4j.train.TrainingLoop;
import org.rnn4j.train.TrainingPlot;
import org.rnn4j.train.TrainingResult;

/**
 * Trains a {@link Classifier} and writes its model directory, on the shared {@link TrainingLoop}.
 *
 * <pre>{@code
 * TrainingConfig cfg = TrainingConfig.builder().data(Path.of("train.csv")).valid(Path.of("eval.csv"))
 *     .epochs(5).build();
 * TrainingResult r = ClassifierTrainer.train(cfg, Path.of("model"), TrainingControl.silent());
 * }</pre>
 *
 * <p>After every epoch the run evaluates on the validation data, commits the model directory when
 * the validation accuracy improved, and writes a checkpoint; it also checkpoints inside long epochs
 * and when asked to stop. {@link #resume} continues from the checkpoint and ends with the same
 * weights as a run that was never interrupted.
 */
public final class ClassifierTrainer {
  private ClassifierTrainer() {}

  /** Class names in label order, as every classifier run orders them: numerically when all are integers, else by code point. */
  public static List<String> classesInLabelOrder(Collection<String> labels) {
    TreeSet<String> set = new TreeSet<>(ClassificationData::compareLabels);
    set.addAll(labels);
    return new ArrayList<>(set);
  }

  /**
   * The classes of a run's training data, refused when fewer than two.
   *
   * @throws IllegalArgumentException naming the one class there is
   */
  public static List<String> requireTwoClasses(List<String> classes) {
    if (classes.size() < 2) {
      throw new IllegalArgumentException("the training data has " + classes.size()
          + " class" + (classes.size() == 1 ? " (" + classes.get(0) + ")" : "es") + "; a classifier needs at least 2");
    }
    return classes;
  }

  /** The panels of a classifier's training.png: loss, and accuracy with macro-F1. */
  public static List<TrainingPlot.Panel> plotPanels() {
    return List.of(
        new TrainingPlot.Panel("loss (cross-entropy)", new String[] {EpochMetrics.TRAIN_LOSS, EpochMetrics.VALID_LOSS},
            new String[] {"train", "valid"}),
        new TrainingPlot.Panel("accuracy", new String[] {EpochMetrics.TRAIN_ACCURACY, EpochMetrics.VALID_ACCURACY,
            EpochMetrics.VALID_MACRO_F1}, new String[] {"train", "valid", "valid macro-F1"}));
  }

  /** Trains from the files named in the config (data, and valid when given). */
  public static TrainingResult train(TrainingConfig config, Path out, TrainingControl control) throws IOException {
    if (config.data() == null) {
      throw new InvalidSettingException("{data} is required (or train from examples in memory)");
    }
    return TrainingLoop.fit(new ClassificationTask(config, out, null, null, control.listener()), config, out, control);
  }

  /** Trains from examples in memory; valid may be null (then valid_fraction of train is held out). */
  public static TrainingResult train(TrainingConfig config, List<LabeledText> train, List<LabeledText> valid,
                                     Path out, TrainingControl control) throws IOException {
    return TrainingLoop.fit(new ClassificationTask(config, out, train, valid, control.listener()), config, out,
        control);
  }

  /** Continues the file-based run whose checkpoint is in dir. */
  public static TrainingResult resume(Path dir, TrainingControl control) throws IOException {
    return resume(dir, null, null, control);
  }

  /** Continues an in-memory run; pass the same examples as the original call. */
  public static TrainingResult resume(Path dir, List<LabeledText> train, List<LabeledText> valid,
                                      TrainingControl control) throws IOException {
    Checkpoint ck = Checkpoint.readForResume(dir, ClassificationTask.NAME);
    TrainingConfig cfg = TrainingConfig.fromJson(ck.state().settings()).build();
    return TrainingLoop.resume(new ClassificationTask(cfg, dir, train, valid, control.listener()), cfg, dir, ck,
        control);
  }
}
