package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.lm.LanguageModelConfig;
import org.rnn4j.lm.LanguageModelTrainer;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "train-lm", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Train a language model on plain UTF-8 text (truncated BPTT, state carried across windows).",
        "Defaults are char-rnn's, as ../shared/bench/torch_charlm.py: characters, LSTM, embedding 64, hidden 128,",
        "1 layer, --seq-length 64, --batch 32, Adam 2e-3, --clip 5, 1 epoch."})
final class TrainLmCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", paramLabel = "FILE", description = "Training text (UTF-8).")
  Path data;
  @Option(names = "--valid", paramLabel = "FILE", description = "Validation text, evaluated after every epoch.")
  Path valid;
  @Option(names = "--valid-fraction", paramLabel = "F", description = "Hold out this fraction from the end of --data when --valid is not given (default 0.1; 0 disables).")
  Double validFraction;
  @CommandLine.Mixin
  RunOptions run;
  @CommandLine.Mixin
  RecipeOptions recipe;

  @Option(names = "--tokenizer", defaultValue = "char", description = "char, whitespace or basic_english (default: ${DEFAULT-VALUE}).")
  String tokenizer;
  @Option(names = "--max-vocab", defaultValue = "0", description = "Maximum vocabulary size; 0 = no limit (default: ${DEFAULT-VALUE}).")
  int maxVocab;
  @Option(names = "--hidden", defaultValue = "128", description = "Hidden size (default: ${DEFAULT-VALUE}).")
  int hidden;
  @Option(names = "--seq-length", defaultValue = "64", description = "Steps per BPTT window (default: ${DEFAULT-VALUE}).")
  int seqLength;
  @Option(names = "--batch", defaultValue = "32", description = "Parallel streams (default: ${DEFAULT-VALUE}).")
  int batch;
  @Option(names = "--lr", defaultValue = "0.002", description = "Learning rate (default: ${DEFAULT-VALUE}).")
  double lr;
  @Option(names = "--clip", defaultValue = "5", description = "Clip the global gradient norm to this; 0 disables (default: ${DEFAULT-VALUE}).")
  double clip;
  @Option(names = "--seed", defaultValue = "1", description = "Seed of the initial weights, drawn as PyTorch's "
      + "torch.manual_seed draws them, and of dropout (default: ${DEFAULT-VALUE}).")
  long seed;
  @Option(names = "--sample-length", defaultValue = "200", description = "Characters (tokens) of the sample written after every epoch; 0 = none (default: ${DEFAULT-VALUE}).")
  int sampleLength;
  @Option(names = "--sample-temperature", defaultValue = "0.8", description = "Temperature of that sample (default: ${DEFAULT-VALUE}).")
  double sampleTemperature;

  LanguageModelConfig config() {
    LanguageModelConfig.Builder b = recipe.applyTo(LanguageModelConfig.builder(), run).data(data).valid(valid)
        .tokenizer(tokenizer).maxVocab(maxVocab).hidden(hidden).seqLength(seqLength).batch(batch).lr(lr).clip(clip)
        .seed(seed).sampleLength(sampleLength).sampleTemperature(sampleTemperature);
    if (validFraction != null) {
      b.validFraction(validFraction);
    }
    return b.build();
  }

  @Override
  public Integer call() throws Exception {
    ProgressDisplay progress = new ProgressDisplay(System.out, System.err, run.json, "chars");
    TrainingResult result = Commands.train(spec, run, progress,
        control -> LanguageModelTrainer.resume(run.resume, control),
        () -> {
          Commands.requireDataAndOut(data, run.out);
          LanguageModelConfig cfg = config();
          return control -> LanguageModelTrainer.train(cfg, run.out, control);
        });
    int code = Commands.reportTraining("train-lm", result, run, best -> {
      double bits = best.get(EpochMetrics.VALID_BITS_PER_CHAR);
      return Double.isNaN(bits) ? "" : String.format(Locale.ROOT, " (valid loss %.4f, %.4f bits/char)",
          best.get(EpochMetrics.VALID_LOSS), bits);
    });
    EpochMetrics best = result.best();
    if (code == 0 && !run.json && best != null && best.text(EpochMetrics.SAMPLE) != null) {
      System.out.println("sample:\n" + best.text(EpochMetrics.SAMPLE));
    }
    return code;
  }
}
