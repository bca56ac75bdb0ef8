package org.rnn4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import org.rnn4j.lm.LanguageModel;
import org.rnn4j.lm.LanguageModelConfig;
import org.rnn4j.lm.LanguageModelEvaluation;
import org.rnn4j.lm.LanguageModelTrainer;
import org.rnn4j.train.TrainingControl;

/**
 * Trains a character language model on a text file, measures it in bits per character, and
 * generates text from a prime: {@code rnn4j train-lm}, {@code eval-lm} and {@code generate} through
 * the Java API.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -p MODULE_PATH -m org.rnn4j.examples/org.rnn4j.examples.CharacterModel \
 *     ../shared/data/tiny_shakespeare/input.txt /tmp/shakespeare-lm "ROMEO:"
 * </pre>
 */
public final class CharacterModel {
  private CharacterModel() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: CharacterModel TEXT_FILE MODEL_DIR PRIME");
      System.exit(2);
    }
    run(Path.of(args[0]), Path.of(args[1]), 1, args[2], 300, System.out::println);
  }

  /**
   * Trains an LSTM language model on {@code text} (a tenth held out for validation) and returns
   * {@code length} characters sampled after {@code prime} at temperature 0.8 with seed 42: the same
   * characters on every run.
   */
  public static String run(Path text, Path modelDir, int epochs, String prime, int length, Consumer<String> log)
      throws IOException {
    LanguageModelConfig config = LanguageModelConfig.builder()
        .data(text).validFraction(0.1)
        .hidden(64).epochs(epochs).seed(1)
        .sampleLength(0)
        .build();
    LanguageModelTrainer.train(config, modelDir, TrainingControl.silent());

    LanguageModel lm = LanguageModel.load(modelDir);
    LanguageModelEvaluation eval = lm.evaluate(Files.readString(text));
    log.accept(String.format(Locale.ROOT, "%.3f bits per character over %d characters", eval.bitsPerChar(),
        eval.chars()));
    String sample = lm.generate(prime, length, lm.sampler(0.8, 0, 1.0, 42), piece -> {});
    log.accept(prime + sample);
    return sample;
  }
}
