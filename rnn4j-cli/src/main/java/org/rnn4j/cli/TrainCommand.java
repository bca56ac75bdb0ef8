package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.classify.ClassifierTrainer;
import org.rnn4j.classify.TrainingConfig;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.text.DataFormat;
import org.rnn4j.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "train", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Train a text classifier on labelled texts and write its model directory.",
        "Defaults reproduce the lesson: LSTM, embedding 64, hidden 32, 1 layer, Adam 1e-3, batch 16, 1 epoch."})
final class TrainCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", paramLabel = "FILE", description = "Training data (AG News CSV, CSV/TSV with a header, or JSON lines).")
  Path data;
  @Option(names = "--format", paramLabel = "FMT", description = "agnews, csv, tsv or jsonl (detected when omitted).")
  String format;
  @Option(names = "--valid", paramLabel = "FILE", description = "Validation data, evaluated after every epoch.")
  Path valid;
  @Option(names = "--valid-fraction", paramLabel = "F", description = "Hold out this fraction of --data for validation when --valid is not given (default 0.1; 0 disables).")
  Double validFraction;
  @CommandLine.Mixin
  RunOptions run;
  @CommandLine.Mixin
  RecipeOptions recipe;

  @CommandLine.Mixin
  ClassifierOptions classifier;

  /** The configuration these flags describe (public for the defaults test). */
  TrainingConfig config() {
    TrainingConfig.Builder b = classifier.applyTo(recipe.applyTo(TrainingConfig.builder(), run))
        .data(data).valid(valid);
    if (format != null) {
      b.format(DataFormat.parse(format));
    }
    if (validFraction != null) {
      b.validFraction(validFraction);
    }
    return b.build();
  }

  @Override
  public Integer call() throws Exception {
    ProgressDisplay progress = new ProgressDisplay(System.out, System.err, run.json, "samples");
    TrainingResult result = Commands.train(spec, run, progress,
        control -> ClassifierTrainer.resume(run.resume, control),
        () -> {
          Commands.requireDataAndOut(data, run.out);
          TrainingConfig cfg = config();
          return control -> ClassifierTrainer.train(cfg, run.out, control);
        });
    return Commands.reportTraining("train", result, run, best -> {
      double acc = best.get(EpochMetrics.VALID_ACCURACY);
      return Double.isNaN(acc) ? "" : String.format(Locale.ROOT, " (valid accuracy %.4f, macro-F1 %.4f)", acc,
          best.get(EpochMetrics.VALID_MACRO_F1));
    });
  }
}
