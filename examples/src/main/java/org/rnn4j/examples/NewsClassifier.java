package org.rnn4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.rnn4j.classify.Classifier;
import org.rnn4j.classify.ClassifierTrainer;
import org.rnn4j.classify.Evaluation;
import org.rnn4j.classify.Prediction;
import org.rnn4j.classify.TrainingConfig;
import org.rnn4j.nn.CellType;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.text.DataReader;
import org.rnn4j.text.LabeledText;
import org.rnn4j.train.TrainingControl;
import org.rnn4j.train.TrainingListener;
import org.rnn4j.train.TrainingResult;

/**
 * Trains a text classifier from files, evaluates it and classifies new texts: what {@code rnn4j
 * train}, {@code eval} and {@code predict} do, through the Java API.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -p MODULE_PATH -m org.rnn4j.examples/org.rnn4j.examples.NewsClassifier \
 *     ../shared/data/ag_news/split/train.csv ../shared/data/ag_news/split/eval.csv /tmp/news-model \
 *     "Stocks rally as the Fed holds rates"
 * </pre>
 *
 * The files are AG News' CSV, or CSV, TSV or JSON lines with label and text columns.
 */
public final class NewsClassifier {
  private NewsClassifier() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println("usage: NewsClassifier TRAIN VALID MODEL_DIR [TEXT...]");
      System.exit(2);
    }
    List<Prediction> predictions = run(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), 3,
        Arrays.asList(args).subList(3, args.length), System.out::println);
    for (int i = 3; i < args.length; i++) {
      Prediction p = predictions.get(i - 3);
      System.out.printf(Locale.ROOT, "%-10s %.2f  %s%n", p.label(), p.probability(p.label()), args[i]);
    }
  }

  /**
   * Trains an LSTM classifier on {@code train} for {@code epochs} epochs, keeping the epoch with the
   * best validation accuracy in {@code modelDir}; reloads it, reports its evaluation on {@code
   * valid}, and classifies {@code texts}.
   */
  public static List<Prediction> run(Path train, Path valid, Path modelDir, int epochs, List<String> texts,
                                     Consumer<String> log) throws IOException {
    TrainingConfig config = TrainingConfig.builder()
        .data(train).valid(valid)
        .cell(CellType.LSTM).embed(64).hidden(32) // the lesson's network
        .epochs(epochs).seed(1)
        .build();
    TrainingListener progress = new TrainingListener() {
      @Override
      public void epochFinished(EpochMetrics m, boolean best) {
        log.accept(String.format(Locale.ROOT, "epoch %d  train loss %.4f  valid accuracy %.4f%s", m.epoch(),
            m.get(EpochMetrics.TRAIN_LOSS), m.get(EpochMetrics.VALID_ACCURACY), best ? "  (best)" : ""));
      }
    };
    TrainingResult result = ClassifierTrainer.train(config, modelDir, TrainingControl.of(progress));
    log.accept("kept epoch " + result.best().epoch() + " in " + result.directory());

    Classifier classifier = Classifier.load(modelDir); // checks the weights' sha256 and shapes
    List<LabeledText> validTexts = DataReader.read(valid, null, new DataReader.Options()).examples();
    Evaluation evaluation = classifier.evaluate(validTexts);
    log.accept(evaluation.report());
    return classifier.predict(texts);
  }
}
