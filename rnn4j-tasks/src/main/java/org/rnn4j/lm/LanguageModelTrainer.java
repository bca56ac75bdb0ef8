package org.rnn4j.lm;

import java.io.IOException;
import java.nio.file.Path;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.persist.Checkpoint;
import org.rnn4j.train.TrainingControl;
import org.rnn4j.train.TrainingLoop;
import org.rnn4j.train.TrainingResult;

/**
 * Trains a {@link LanguageModel} by truncated backpropagation through time on the shared
 * {@link TrainingLoop} (see {@link LanguageModelTask} for the recipe).
 *
 * <pre>{@code
 * LanguageModelConfig cfg = LanguageModelConfig.builder().data(Path.of("train.txt"))
 *     .valid(Path.of("valid.txt")).epochs(5).build();
 * TrainingResult r = LanguageModelTrainer.train(cfg, Path.of("lm"), TrainingControl.silent());
 * }</pre>
 *
 * <p>After every epoch: validation loss and bits per character, a sample, the model directory when
 * the validation loss improved, a checkpoint to resume from, and a copy of it named by epoch and
 * validation loss under {@code checkpoints/}. {@link #resume} ends with the same weights as an
 * uninterrupted run.
 */
public final class LanguageModelTrainer {
  private LanguageModelTrainer() {}

  public static TrainingResult train(LanguageModelConfig config, Path out, TrainingControl control)
      throws IOException {
    if (config.data() == null) {
      throw new InvalidSettingException("{data} is required");
    }
    return TrainingLoop.fit(new LanguageModelTask(config, out), config, out, control);
  }

  /** Continues the run whose checkpoint is in dir (same data files). */
  public static TrainingResult resume(Path dir, TrainingControl control) throws IOException {
    Checkpoint ck = Checkpoint.readForResume(dir, LanguageModelTask.NAME);
    LanguageModelConfig cfg = LanguageModelConfig.fromJson(ck.state().settings()).build();
    return TrainingLoop.resume(new LanguageModelTask(cfg, dir), cfg, dir, ck, control);
  }
}
