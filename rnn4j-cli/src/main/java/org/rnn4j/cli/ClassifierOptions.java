package org.rnn4j.cli;

import org.rnn4j.classify.TrainingConfig;
import org.rnn4j.nn.Pooling;
import picocli.CommandLine.Option;

/** A classifier's own flags, shared by {@code train} and {@code spark train}. */
final class ClassifierOptions {
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

  /** Sets these flags on a classifier's config builder. */
  TrainingConfig.Builder applyTo(TrainingConfig.Builder b) {
    return b.labelColumn(labelColumn).textColumn(textColumn).skipBadRows(skipBadRows).tokenizer(tokenizer)
        .maxVocab(maxVocab).maxLength(maxLength).hidden(hidden).bidirectional(bidirectional)
        .pooling(Pooling.parse(pooling)).batch(batch).lr(lr).clip(clip).seed(seed).bucket(bucket)
        .lazyEmbedding(lazyEmbedding);
  }
}
