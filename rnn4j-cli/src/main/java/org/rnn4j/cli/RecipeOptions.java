package org.rnn4j.cli;

import org.rnn4j.nn.CellType;
import org.rnn4j.train.RunSettings;
import picocli.CommandLine.Option;

/**
 * The recipe flags that the training commands share: the recurrent cell and its shape, the epochs
 * and the optimizer. The cell, embedding size and epochs default to the task's recipe (lstm, 64 and
 * 1 for train and train-lm; gru, 128 and 15 for train-seq2seq), so they are set only when given.
 * Flags whose defaults differ more by task (hidden size, batch, learning rate, clipping, tokenizer)
 * stay with each command.
 */
final class RecipeOptions {
  @Option(names = "--cell", description = "rnn, rnn_relu, lstm or gru (default: lstm; train-seq2seq: gru).")
  String cell;
  @Option(names = "--embed", description = "Embedding size (default: 64; train-seq2seq: 128).")
  Integer embed;
  @Option(names = "--layers", defaultValue = "1", description = "Recurrent layers (default: ${DEFAULT-VALUE}).")
  int layers;
  @Option(names = "--dropout", defaultValue = "0", description = "Dropout between layers while training (default: ${DEFAULT-VALUE}).")
  float dropout;
  @Option(names = "--epochs", description = "Epochs (default: 1; train-seq2seq: 15).")
  Integer epochs;
  @Option(names = "--optimizer", defaultValue = "adam", description = "adam, adamw or sgd (default: ${DEFAULT-VALUE}).")
  String optimizer;
  @Option(names = "--weight-decay", defaultValue = "0", description = "Weight decay (default: ${DEFAULT-VALUE}; adamw uses 0.01 when 0).")
  double weightDecay;
  @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
  double momentum;
  @Option(names = "--schedule", defaultValue = "constant", description = "constant, step:EVERY:GAMMA, cosine or cosine:WARMUP, in steps (default: ${DEFAULT-VALUE}).")
  String schedule;
  @Option(names = "--min-freq", defaultValue = "1", description = "Minimum token count for the vocabulary (default: ${DEFAULT-VALUE}).")
  int minFreq;

  /** Sets these flags, and the run options, on a task's settings builder. */
  <B extends RunSettings.Builder<B>> B applyTo(B b, RunOptions run) {
    if (cell != null) {
      b.cell(CellType.parse(cell));
    }
    if (embed != null) {
      b.embed(embed);
    }
    if (epochs != null) {
      b.epochs(epochs);
    }
    return b.layers(layers).dropout(dropout).optimizer(optimizer).weightDecay(weightDecay).momentum(momentum).schedule(schedule).minFreq(minFreq)
        .threads(run.threads()).onNan(run.onNan).checkpointSeconds(run.checkpointSeconds).patience(run.patience)
        .lrDecay(run.lrDecay);
  }
}
