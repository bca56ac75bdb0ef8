package org.rnn4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.io.FormatException;
import org.rnn4j.math.Ops;
import org.rnn4j.math.Parallel;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.optim.GradientClipping;
import org.rnn4j.optim.LearningRateSchedule;
import org.rnn4j.optim.Optimizer;
import org.rnn4j.persist.Checkpoint;
import org.rnn4j.persist.CheckpointState;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.random.Rng;
import org.rnn4j.runtime.WarmUp;

/**
 * The one training loop every task runs on: epochs of batches, each a forward and backward pass
 * through the {@link TrainingTask}, the NaN policy, gradient clipping and the optimizer step on
 * the learning-rate schedule; after each epoch the task's evaluation and the choice of the best
 * epoch. What happens around that (checkpoints and their per-epoch copies, committing the best
 * model, metrics.jsonl and the plot, early stopping, progress, the JIT watch) are
 * {@link LoopListener}s, as in DJL's {@code EasyTrain.fit}.
 *
 * <p>A stop request ({@link TrainingControl#requestStop}, Ctrl-C in the command line) writes a
 * checkpoint before the next batch and returns. {@link #resume} continues from a checkpoint to the
 * same bits as a run never stopped: every random draw comes from state the checkpoint holds (the
 * dropout generator, and the task's example order derived from the seed and epoch), and every
 * kernel gives the same bits for the same inputs.
 */
public final class TrainingLoop {
  /** The dropout generator's seed is the run's seed mixed with this, apart from the weights' generator. */
  private static final long DROPOUT_SEED_MIX = 0x5DEECE66DL;

  private final TrainingTask task;
  private final RunState run;
  private final TrainingControl control;
  private final TrainingListener messages;
  private Optimizer optimizer;
  private LearningRateSchedule schedule;
  private Checkpointing checkpoints;
  private List<LoopListener> listeners;

  private TrainingLoop(TrainingTask task, RunState run, TrainingControl control) {
    this.task = task;
    this.run = run;
    this.control = control;
    this.messages = control.listener();
  }

  /**
   * Trains a fresh run into {@code out}: refuses a directory that holds another run (unless the
   * control allows overwriting), checks the disk has room, and removes a directory it created when
   * the run fails before writing anything.
   */
  public static TrainingResult fit(TrainingTask task, RunSettings settings, Path out, TrainingControl control)
      throws IOException {
    boolean created = RunDirectory.prepare(out, control.overwrite());
    TrainingLoop loop;
    try {
      loop = new TrainingLoop(task, new RunState(settings, out, Instant.now().toString()), control);
      loop.prepare(null);
      // the model, and the checkpoint (weights and two Adam moments) with one copy per epoch, 4 bytes each
      RunDirectory.requireSpace(out, 4L * task.parameters().size() * (1 + 3 * (1 + settings.epochs())) + (1 << 20));
      loop.run.dropoutRng = new Rng(settings.seed() ^ DROPOUT_SEED_MIX);
      loop.messages.message(task.describeData());
    } catch (IOException | RuntimeException e) {
      RunDirectory.removeIfEmpty(out, created);
      throw e;
    }
    return loop.execute();
  }

  /**
   * Continues the run whose checkpoint {@code from} was read from {@code dir}, with {@code task}
   * built from the checkpoint's settings. The data must be what the run started with.
   */
  public static TrainingResult resume(TrainingTask task, RunSettings settings, Path dir, Checkpoint from,
                                      TrainingControl control) throws IOException {
    CheckpointState state = from.state();
    TrainingLoop loop = new TrainingLoop(task, new RunState(settings, dir, state.startedAt()), control);
    loop.prepare(state.taskState());
    if (!task.dataSha256().equals(state.dataSha256())
        || !String.valueOf(task.validSha256()).equals(String.valueOf(state.validSha256()))) {
      throw new FormatException("the training data changed since the run started (sha256 " + state.dataSha256()
          + " then, " + task.dataSha256() + " now); resume needs the same data");
    }
    String file = dir.resolve(Checkpoint.FILE).toString();
    from.restoreParameters(task.parameters(), dir.resolve(Checkpoint.FILE));
    loop.optimizer.loadState(from.optimizerState());
    task.restoreTensors(from.extras(), file);
    loop.run.restore(state);
    loop.messages.message(String.format(Locale.ROOT, "resuming %s at epoch %d, %s %d (step %d)", dir, loop.run.epoch,
        task.batchNoun(), loop.run.batchInEpoch, loop.run.step));
    return loop.execute();
  }

  /** Has the task read its data (compiling the kernels meanwhile), then builds the optimizer and listeners. */
  private void prepare(Map<String, Object> resumed) throws IOException {
    Thread warmUp = WarmUp.start(task.warmUp(), 3000);
    try {
      task.prepare(resumed);
    } finally {
      warmUp.interrupt();
      try {
        warmUp.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    RunSettings s = run.settings;
    optimizer = s.newOptimizer(task.parameters());
    schedule = LearningRateSchedule.parse(s.schedule(), s.lr(), (long) s.epochs() * task.batchesPerEpoch());
    checkpoints = new Checkpointing(task, optimizer);
    // Order matters: the JIT watch measures the step before anything else allocates; the model is
    // committed and the files written before the caller hears of the epoch; the checkpoint, last,
    // holds all of it.
    List<LoopListener> all = new java.util.ArrayList<>(List.of(new BestModel(task), new MetricsFiles(task),
        new ProgressEvents(task, messages), new EarlyStopping(task, messages), checkpoints));
    if (task.stepsAllocateNothing()) {
      all.add(0, new JitWatch(messages));
    }
    listeners = List.copyOf(all);
  }

  private TrainingResult execute() throws IOException {
    int threads = control.threads() > 0 ? control.threads() : run.settings.threads();
    int before = Parallel.threads();
    Parallel.setThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
    try {
      return loop();
    } finally {
      Parallel.setThreads(before);
    }
  }

  private TrainingResult loop() throws IOException {
    int batches = task.batchesPerEpoch();
    while (run.epoch <= run.settings.epochs() && !run.stoppedEarly) {
      task.beginEpoch(run.epoch);
      for (LoopListener l : listeners) {
        l.epochStarted(run);
      }
      run.startClock();
      while (run.batchInEpoch < batches) {
        if (control.stopRequested()) {
          run.lap();
          checkpoints.write(run);
          messages.message("stopped: checkpoint written to " + run.out.resolve(Checkpoint.FILE));
          return result(true);
        }
        trainBatch(run.batchInEpoch);
        run.batchInEpoch++;
        for (LoopListener l : listeners) {
          l.batchFinished(run);
        }
      }
      run.lap();
      finishEpoch();
    }
    return result(false);
  }

  /** One step: forward, backward, the NaN policy, clipping and the optimizer. */
  private void trainBatch(int batch) {
    boolean itself = task.updatesWeightsItself();
    if (itself) {
      task.stepLearningRate(run.learningRate(schedule, run.step));
    }
    double loss = task.forward(batch, run.dropoutRng);
    if (!Double.isFinite(loss)) {
      fault("the loss is " + loss, null);
      return;
    }
    if (itself) {
      run.step++;
      task.batchApplied(loss);
      return;
    }
    task.backward();
    ParameterSet params = task.parameters();
    RunSettings s = run.settings;
    // The norm needs its own pass only to clip, or to skip a bad batch before it is applied;
    // otherwise the optimizer reports the sum of squares from its own pass.
    boolean normPass = s.clip() > 0 || s.onNan().equals(RunSettings.ON_NAN_SKIP);
    if (normPass) {
      double norm = s.clip() > 0 ? GradientClipping.clipByGlobalNorm(params, s.clip())
          : GradientClipping.globalNorm(params);
      if (!Double.isFinite(norm)) {
        fault("the gradient norm is " + norm, firstNonFinite(params, true));
        return;
      }
    }
    task.beforeUpdate(optimizer);
    optimizer.step(run.learningRate(schedule, run.step));
    if (!normPass && !Double.isFinite(optimizer.lastGradientSumSquares())) {
      fault("the gradient norm is " + Math.sqrt(optimizer.lastGradientSumSquares()), firstNonFinite(params, false));
      return;
    }
    run.step++;
    task.batchApplied(loss);
  }

  /** A non-finite loss or gradient: skip the batch, or stop with the last good checkpoint kept. */
  private void fault(String what, String tensor) {
    String where = String.format(Locale.ROOT, "%s at step %d (epoch %d, %s %d)%s", what, run.step + 1, run.epoch,
        task.batchNoun(), run.batchInEpoch + 1, tensor == null ? "" : " in the gradient of " + tensor);
    task.parameters().zeroGrad();
    if (run.settings.onNan().equals(RunSettings.ON_NAN_SKIP)) {
      run.skippedBatches++;
      task.batchSkipped();
      messages.message("skipped " + task.batchNoun() + ": " + where);
      return;
    }
    throw new NumericalFaultException(where + "; the last good checkpoint is kept in " + run.out);
  }

  private void finishEpoch() throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(EpochMetrics.EPOCH, run.epoch);
    if (task.hasValidation()) {
      for (LoopListener l : listeners) {
        l.evaluating(run);
      }
    }
    EpochScore score = task.evaluate(m);
    double seconds = run.epochSeconds;
    m.put(EpochMetrics.SECONDS, seconds);
    task.throughputCounts().forEach((unit, n) -> m.put(unit + EpochMetrics.PER_SECOND, n / Math.max(1e-9, seconds)));
    m.put(EpochMetrics.LR, run.learningRate(schedule, Math.max(0, run.step - 1)));
    m.put(EpochMetrics.STEPS, run.step);
    if (run.skippedBatches > 0) {
      m.put(EpochMetrics.SKIPPED_BATCHES, run.skippedBatches);
    }
    task.describeEpoch(run.epoch, m);
    EpochMetrics metrics = new EpochMetrics(m);
    run.history.add(metrics);
    boolean best = run.record(score);
    for (LoopListener l : listeners) {
      l.epochFinished(run, metrics, score, best);
    }
    run.nextEpoch();
    task.endEpoch();
    for (LoopListener l : listeners) {
      l.epochAdvanced(run, metrics, score);
    }
  }

  /** Name of the first parameter whose gradient (or value) holds NaN or infinity, or null. */
  private static String firstNonFinite(ParameterSet params, boolean gradient) {
    for (Parameter p : params.parameters()) {
      if (Ops.firstNonFinite(gradient ? p.grad() : p.data(), p.offset(), p.size()) >= 0) {
        return p.name();
      }
    }
    return null;
  }

  private TrainingResult result(boolean interrupted) {
    return new TrainingResult(run.out, run.history, run.best(), interrupted, run.stoppedEarly, run.skippedBatches);
  }
}
