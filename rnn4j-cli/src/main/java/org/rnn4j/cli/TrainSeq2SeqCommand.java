package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.nn.Attention;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.train.TrainingResult;
import org.rnn4j.translate.TranslationConfig;
import org.rnn4j.translate.TranslatorTrainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train-seq2seq", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Train a translation model (encoder-decoder with attention) on sentence pairs.",
        "Defaults are ../shared/bench/torch_seq2seq.py's: the word tokenizer, GRU, embedding 128, hidden 256,",
        "1 layer, additive attention, --batch 32, Adam 1e-3, --clip 1, pairs of at most 25 tokens, 15 epochs;",
        "the best epoch has the highest validation BLEU."})
final class TrainSeq2SeqCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", paramLabel = "FILE", description = "Sentence pairs: TSV (no quoting) or CSV with a header naming the columns.")
  Path data;
  @Option(names = "--source-column", defaultValue = "source", description = "Source column of --data and --valid (default: ${DEFAULT-VALUE}).")
  String sourceColumn;
  @Option(names = "--target-column", defaultValue = "target", description = "Target column (default: ${DEFAULT-VALUE}).")
  String targetColumn;
  @Option(names = "--source-file", paramLabel = "FILE", description = "Instead of --data: source sentences, one per line.")
  Path sourceFile;
  @Option(names = "--target-file", paramLabel = "FILE", description = "Their translations, line by line.")
  Path targetFile;
  @Option(names = "--valid", paramLabel = "FILE", description = "Validation pairs (TSV or CSV), scored after every epoch.")
  Path valid;
  @Option(names = "--valid-source-file", paramLabel = "FILE", description = "Instead of --valid: validation sources, one "
      + "per line.")
  Path validSourceFile;
  @Option(names = "--valid-target-file", paramLabel = "FILE", description = "Their reference translations, line by line.")
  Path validTargetFile;
  @Option(names = "--valid-fraction", paramLabel = "F", description = "Hold out this fraction from the end of the training pairs when --valid is not given (default 0.1; 0 disables).")
  Double validFraction;
  @CommandLine.Mixin
  RunOptions run;
  @CommandLine.Mixin
  RecipeOptions recipe;

  @Option(names = "--tokenizer", defaultValue = "word", description = "word (NFC, lower case, \\w+|[^\\w\\s]), whitespace or char (default: ${DEFAULT-VALUE}).")
  String tokenizer;
  @Option(names = "--max-vocab", defaultValue = "0", description = "Maximum size of each vocabulary; 0 = no limit (default: ${DEFAULT-VALUE}).")
  int maxVocab;
  @Option(names = "--hidden", defaultValue = "256", description = "Hidden size (default: ${DEFAULT-VALUE}).")
  int hidden;
  @Option(names = "--bidirectional", description = "Bidirectional encoder, joined to the decoder by a learned bridge.")
  boolean bidirectional;
  @Option(names = "--tie-embeddings", description = "The output layer shares the target embedding's weight (needs --embed = --hidden).")
  boolean tieEmbeddings;
  @Option(names = "--attention", defaultValue = "additive", description = "additive, dot, general or none (default: ${DEFAULT-VALUE}).")
  String attention;
  @Option(names = "--max-length", defaultValue = "25", description = "Leave out training pairs with more tokens on either side; cut longer sources (default: ${DEFAULT-VALUE}).")
  int maxLength;
  @Option(names = "--batch", defaultValue = "32", description = "Pairs per batch (default: ${DEFAULT-VALUE}).")
  int batch;
  @Option(names = "--lr", defaultValue = "0.001", description = "Learning rate (default: ${DEFAULT-VALUE}).")
  double lr;
  @Option(names = "--clip", defaultValue = "1", description = "Clip the global gradient norm to this; 0 disables (default: ${DEFAULT-VALUE}).")
  double clip;
  @Option(names = "--label-smoothing", defaultValue = "0", description = "Label smoothing of the cross-entropy, in [0, 1) (default: ${DEFAULT-VALUE}).")
  float labelSmoothing;
  @Option(names = "--teacher-forcing", defaultValue = "1", description = "Share of batches whose decoder reads the "
      + "reference's previous token; the rest read their own predictions (default: ${DEFAULT-VALUE}).")
  float teacherForcing;
  @Option(names = "--seed", defaultValue = "1", description = "Seed of the initial weights and the pair order, drawn as "
      + "torch_seq2seq.py --seed draws them (default: ${DEFAULT-VALUE}).")
  long seed;
  @Option(names = "--beam", defaultValue = "1", description = "Beam of the per-epoch BLEU; 1 is greedy (default: ${DEFAULT-VALUE}).")
  int beam;

  TranslationConfig config() {
    TranslationConfig.Builder b = recipe.applyTo(TranslationConfig.builder(), run).data(data).valid(valid)
        .sourceColumn(sourceColumn).targetColumn(targetColumn).sourceFile(sourceFile).targetFile(targetFile)
        .validSourceFile(validSourceFile).validTargetFile(validTargetFile)
        .tokenizer(tokenizer).maxVocab(maxVocab).hidden(hidden).bidirectional(bidirectional).tieEmbeddings(tieEmbeddings)
        .attention(Attention.Kind.parse(attention)).maxLength(maxLength).batch(batch).lr(lr).clip(clip)
        .labelSmoothing(labelSmoothing).teacherForcing(teacherForcing).seed(seed).beam(beam);
    if (validFraction != null) {
      b.validFraction(validFraction);
    }
    return b.build();
  }

  @Override
  public Integer call() throws Exception {
    ProgressDisplay progress = new ProgressDisplay(System.out, System.err, run.json, "pairs");
    TrainingResult result = Commands.train(spec, run, progress,
        control -> TranslatorTrainer.resume(run.resume, control),
        () -> {
          if (data == null && sourceFile == null && targetFile == null) {
            throw new UsageException("--data (or --source-file and --target-file) is required "
                + "(or --resume DIR to continue a run)");
          }
          if (run.out == null) {
            throw new UsageException("--out is required: the model directory to write");
          }
          TranslationConfig cfg = config();
          return control -> TranslatorTrainer.train(cfg, run.out, control);
        });
    return Commands.reportTraining("train-seq2seq", result, run, best -> {
      double bleu = best.get(EpochMetrics.VALID_BLEU);
      return Double.isNaN(bleu) ? "" : String.format(Locale.ROOT, " (valid BLEU %.2f, loss %.4f)", bleu,
          best.get(EpochMetrics.VALID_LOSS));
    });
  }
}
