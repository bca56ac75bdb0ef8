package org.rnn4j.translate;

import java.io.IOException;
import java.nio.file.Path;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.persist.Checkpoint;
import org.rnn4j.train.TrainingControl;
import org.rnn4j.train.TrainingLoop;
import org.rnn4j.train.TrainingResult;

/**
 * Trains a {@link Translator} on the shared {@link TrainingLoop} (see {@link TranslationTask} for
 * the recipe).
 *
 * <pre>{@code
 * TranslationConfig cfg = TranslationConfig.builder().data(Path.of("train.tsv"))
 *     .valid(Path.of("valid.tsv")).epochs(15).build();
 * TrainingResult r = TranslatorTrainer.train(cfg, Path.of("de-en"), TrainingControl.silent());
 * Translator t = Translator.load(Path.of("de-en"));
 * }</pre>
 *
 * <p>After every epoch: validation loss, token accuracy and BLEU, the model directory when the
 * BLEU improved, and a checkpoint that {@link #resume} continues from with the same bits as an
 * uninterrupted run.
 */
public final class TranslatorTrainer {
  private TranslatorTrainer() {}

  public static TrainingResult train(TranslationConfig config, Path out, TrainingControl control) throws IOException {
    boolean files = config.sourceFile != null || config.targetFile != null;
    if (config.data() == null && !files) {
      throw new InvalidSettingException("{data} (or {sourceFile} and {targetFile}) is required");
    }
    if (files && (config.sourceFile == null || config.targetFile == null)) {
      throw new InvalidSettingException("{sourceFile} and {targetFile} go together");
    }
    if (files && config.data() != null) {
      throw new InvalidSettingException("give either {data} or {sourceFile} and {targetFile}, not both");
    }
    return TrainingLoop.fit(new TranslationTask(config), config, out, control);
  }

  /** Continues the run whose checkpoint is in dir (same data files). */
  public static TrainingResult resume(Path dir, TrainingControl control) throws IOException {
    Checkpoint ck = Checkpoint.readForResume(dir, TranslationTask.NAME);
    TranslationConfig cfg = TranslationConfig.fromJson(ck.state().settings()).build();
    return TrainingLoop.resume(new TranslationTask(cfg), cfg, dir, ck, control);
  }

  /**
   * Scores a model on a TSV or CSV of pairs (columns {@code source} and {@code target} unless named):
   * loss, token accuracy, BLEU on the model's tokens and 13a BLEU on detokenized text.
   */
  public static Evaluation evaluate(Translator t, Path data, String sourceColumn, String targetColumn,
                                    DecodeOptions options) throws IOException {
    TranslationConfig cfg = TranslationConfig.builder().valid(data).sourceColumn(sourceColumn)
        .targetColumn(targetColumn).tokenizer(t.tokenizer().name()).build();
    return Evaluation.of(t, TranslationData.readEvaluation(cfg, t), options);
  }

  /** {@link #evaluate} on two parallel files, one sentence per line: the sources and their references. */
  public static Evaluation evaluateParallel(Translator t, Path sourceFile, Path targetFile, DecodeOptions options)
      throws IOException {
    TranslationConfig cfg = TranslationConfig.builder().validSourceFile(sourceFile).validTargetFile(targetFile)
        .tokenizer(t.tokenizer().name()).build();
    return Evaluation.of(t, TranslationData.readEvaluation(cfg, t), options);
  }
}
