package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.classify.ClassifierTrainer;
import org.rnn4j.classify.TrainingConfig;
import org.rnn4j.nn.Pooling;
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

  @Option(names = "--hidden", defaultValue = "32", description = "Hidden size (default: ${DEFAULT-VALUE}).")
  int hidden;
  @Option(names = "--bidirectional", description = "Run every layer in both directions.")
  boolean bidirectional;
  @Option(names = "--pooling", defaultValue = "last", description = "last (final state) or mean (over valid steps) (default: ${DEFAULT-VALUE}).")
  String pooling;

  @Option(names = "--batch", defaultValue = "16", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch;
  @Option(names = "--lr", defaultValue = "0.001", description = "Learning rate (default: ${DEFAULT-VALUE}).")
  double lr;
  @Option(names = "--clip", defaultValue = "0", description = "Clip the global gradient norm to this; 0 disables (default: ${DEFAULT-VALUE}).")
  double clip;
  @Option(names = "--seed", defaultValue = "1", description = "Seed of the initial weights and the example order, drawn as "
      + "PyTorch's torch.manual_seed and Python's random.seed draw them (default: ${DEFAULT-VALUE}).")
  long seed;
  @Option(names = "--max-length", defaultValue = "0", description = "Truncate texts to this many tokens; 0 keeps all (default: ${DEFAULT-VALUE}).")
  int maxLength;
  @Option(names = "--max-vocab", defaultValue = "0", description = "Maximum vocabulary size with specials; 0 = no limit (default: ${DEFAULT-VALUE}).")
  int maxVocab;
  @Option(names = "--tokenizer", defaultValue = "basic_english", description = "basic_english, whitespace or char (default: ${DEFAULT-VALUE}).")
  String tokenizer;
  @Option(names = "--label-column", defaultValue = "label", description = "Label column (csv/tsv) or key (jsonl) (default: ${DEFAULT-VALUE}).")
  String labelColumn;
  @Option(names = "--text-column", defaultValue = "text", description = "Text column or key (default: ${DEFAULT-VALUE}).")
  String textColumn;
  @Option(names = "--skip-bad-rows", description = "Skip malformed rows (and report how many) instead of stopping.")
  boolean skipBadRows;
  @Option(names = "--bucket", description = "Batch texts of similar length together (faster).")
  boolean bucket;
  @Option(names = "--lazy-embedding", description = "Adam updates only the embedding rows a batch uses (like SparseAdam): faster with big vocabularies, not equal to dense Adam.")
  boolean lazyEmbedding;

  /** The configuration these flags describe (public for the defaults test). */
  TrainingConfig config() {
    TrainingConfig.Builder b = recipe.applyTo(TrainingConfig.builder(), run)
        .data(data).valid(valid).labelColumn(labelColumn).textColumn(textColumn).skipBadRows(skipBadRows)
        .tokenizer(tokenizer).maxVocab(maxVocab).maxLength(maxLength).hidden(hidden).bidirectional(bidirectional)
        .pooling(Pooling.parse(pooling)).batch(batch).lr(lr).clip(clip).seed(seed).bucket(bucket)
        .lazyEmbedding(lazyEmbedding);
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
