package org.rnn4j.train;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.rnn4j.io.FormatException;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.optim.Optimizer;
import org.rnn4j.persist.ModelConfig;
import org.rnn4j.persist.Provenance;
import org.rnn4j.random.Rng;
import org.rnn4j.text.Vocabulary;

/**
 * What one kind of model brings to {@link TrainingLoop}: its data, its network, the forward and
 * backward pass of one batch, its epoch-end evaluation and the documents it is saved as. The loop
 * owns everything else (epochs, the optimizer and its schedule, clipping, the NaN policy,
 * checkpoints, best-epoch selection, early stopping, metrics, progress, stop requests), so a new
 * task writes this interface and a command, and nothing in the loop.
 *
 * <p>Calls come in this order: {@link #prepare} once; then per epoch {@link #beginEpoch}, per
 * batch {@link #forward}, {@link #backward}, {@link #beforeUpdate} and {@link #batchApplied} (or
 * {@link #batchSkipped}), and at its end {@link #evaluate}, {@link #endEpoch}. All on one thread.
 */
public interface TrainingTask {
  /** The task's name in config.json and in checkpoints ("classification", "language_model"). */
  String name();

  /** What the model is called in messages and plots ("classifier", "language model"). */
  String modelNoun();

  /** What a batch is called in messages ("batch"; a language model's "window"). */
  default String batchNoun() {
    return "batch";
  }

  /** A network like this run's, small, whose kernels the loop compiles on a spare core while {@link #prepare} reads data. */
  Runnable warmUp();

  /**
   * Reads the data and builds the network. A fresh run ({@code resumed == null}) builds its
   * vocabulary from the data and initialises the weights from the seed; a resumed one takes back
   * what {@link #checkpointState} saved (the loop then restores weights and optimizer).
   */
  void prepare(Map<String, Object> resumed) throws IOException;

  /** One line describing the prepared data, shown when the run starts. */
  String describeData();

  /** sha256 of the training data, and of the validation data (null when held out of the training data). */
  String dataSha256();

  String validSha256();

  ParameterSet parameters();

  Vocabulary vocabulary();

  /** A second vocabulary the model directory keeps (a translation model's target side), or null. */
  default Vocabulary targetVocabulary() {
    return null;
  }

  int batchesPerEpoch();

  /** Progress units in one epoch: sequences, or a language model's tokens. */
  long samplesPerEpoch();

  /** Prepares epoch {@code epoch}'s batches (its example order); called again for a resumed epoch. */
  void beginEpoch(int epoch);

  /** Forward pass of batch {@code batch} of the current epoch; returns its mean loss. */
  double forward(int batch, Rng dropout);

  /**
   * True for a task that updates the weights itself inside {@link #forward} (local SGD on Spark:
   * partitions take their own optimizer steps and the driver averages their weights). The loop then
   * calls {@link #stepLearningRate} before each forward and skips backward, clipping and its own
   * optimizer; a forward that returns a non-finite loss must leave the weights as they were.
   */
  default boolean updatesWeightsItself() {
    return false;
  }

  /**
   * False for a task whose steps allocate by design (on Spark each step ships weights and gradients),
   * so that the loop does not take the allocation for the JIT fault it watches for.
   */
  default boolean stepsAllocateNothing() {
    return true;
  }

  /** The learning rate of the coming step, for a task that {@link #updatesWeightsItself}. */
  default void stepLearningRate(double lr) {}

  /** Backward pass of the batch {@link #forward} ran; gradients accumulate into the parameters. */
  void backward();

  /** Just before the optimizer step (a classifier names the embedding rows the batch touched). */
  default void beforeUpdate(Optimizer optimizer) {}

  /** The batch was applied with this loss: add it to the epoch's running figures. */
  void batchApplied(double loss);

  /** The batch was skipped because a value was not finite (on-NaN policy "skip"). */
  default void batchSkipped() {}

  /** Units done in this epoch after {@code batchesDone} batches, for progress. */
  long samplesDone(int batchesDone);

  /** The epoch's running mean loss. */
  double runningLoss();

  /** The epoch's running accuracy, or NaN where the task has none. */
  default double runningAccuracy() {
    return Double.NaN;
  }

  /** True when {@link #evaluate} will run over validation data (progress shows it). */
  boolean hasValidation();

  /**
   * Adds the epoch's training and validation figures to {@code metrics} (which holds the epoch
   * number) and returns the score the best epoch is chosen by.
   */
  EpochScore evaluate(Map<String, Object> metrics);

  /** Counts of the epoch for throughput ({@code samples}, {@code tokens}, {@code chars}...), keyed by unit. */
  Map<String, Long> throughputCounts();

  /** Adds what comes after the loop's figures (a language model's sample). */
  default void describeEpoch(int epoch, Map<String, Object> metrics) {}

  /** Starts the next epoch's running figures (and anything else an epoch boundary resets). */
  void endEpoch();

  /** The config.json of the model as it is now, with the best epoch's numbers. */
  ModelConfig modelConfig(Map<String, Object> best, Provenance provenance);

  /** The task's part of the checkpoint: its vocabulary, running figures and anything else it resumes from. */
  Map<String, Object> checkpointState();

  /** Tensors besides parameters and optimizer state that the run resumes from (a carried state). */
  default Map<String, float[]> checkpointTensors() {
    return Map.of();
  }

  /** Takes back {@link #checkpointTensors}; FormatException naming the file when one does not fit. */
  default void restoreTensors(Map<String, float[]> tensors, String file) throws FormatException {}

  /** The panels of training.png. */
  List<TrainingPlot.Panel> plotPanels();

  /** Text under the plot (a language model's last sample), or null. */
  default String plotCaption(int epoch) {
    return null;
  }

  /** What the early-stopping message calls the score ("validation accuracy"). */
  String scoreName();
}
