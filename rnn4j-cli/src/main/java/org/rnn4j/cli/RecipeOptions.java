package org.rnn4j.cli;

import org.rnn4j.nn.CellType;
import org.rnn4j.train.RunSettings;
import picocli.CommandLine.Option;

/**
 * The recipe flags that {@code train} and {@code train-lm} share with the same defaults: the
 * recurrent cell and its shape, the epochs and the optimizer. Flags whose defaults differ by task
 * (hidden size, batch, learning rate, clipping, tokenizer) stay with each command.
 */
final class RecipeOptions {
  @Option(names = "--cell", defaultValue = "lstm", description = "rnn, rnn_relu, lstm or gru (default: ${DEFAULT-VALUE}).")
  String cell;
  @Option(names = "--embed", defaultValue = "64", description = "Embedding size (default: ${DEFAULT-VALUE}).")
  int embed;
  @Option(names = "--layers", defaultValue = "1", description = "Recurrent layers (default: ${DEFAULT-VALUE}).")
  int layers;
  @Option(names = "--dropout", defaultValue = "0", description = "Dropout between layers while training (default: ${DEFAULT-VALUE}).")
  float dropout;
  @Option(names = "--epochs", defaultValue = "1", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;
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
    return b.cell(CellType.parse(cell)).embed(embed).layers(layers).dropout(dropout).epochs(epochs)
        .optimizer(optimizer).weightDecay(weightDecay).momentum(momentum).schedule(schedule).minFreq(minFreq)
        .threads(run.threads()).onNan(run.onNan).checkpointSeconds(run.checkpointSeconds).patience(run.patience)
        .lrDecay(run.lrDecay);
  }
}
