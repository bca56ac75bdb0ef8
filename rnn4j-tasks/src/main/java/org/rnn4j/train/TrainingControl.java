package org.rnn4j.train;

/**
 * How a caller steers a training run: a listener for progress, a stop request (for example from
 * Ctrl-C) that makes the run checkpoint and return at the next batch, and whether an existing model
 * directory may be overwritten.
 */
public final class TrainingControl {
  private final TrainingListener listener;
  private final TrainingControl stopsWith;
  private volatile boolean stop;
  private boolean overwrite;
  private int threads;

  private TrainingControl(TrainingListener listener) {
    this(listener, null);
  }

  private TrainingControl(TrainingListener listener, TrainingControl stopsWith) {
    this.listener = listener == null ? TrainingListener.NONE : listener;
    this.stopsWith = stopsWith;
  }

  /**
   * This control with another listener (one that wraps this one's, say), the same settings, and
   * stopping when this one is asked to: a wrapper can add to the progress without losing Ctrl-C.
   */
  public TrainingControl withListener(TrainingListener other) {
    TrainingControl c = new TrainingControl(other, this);
    c.overwrite = overwrite;
    c.threads = threads;
    return c;
  }

  public static TrainingControl of(TrainingListener listener) {
    return new TrainingControl(listener);
  }

  public static TrainingControl silent() {
    return new TrainingControl(TrainingListener.NONE);
  }

  public TrainingControl overwrite(boolean v) {
    overwrite = v;
    return this;
  }

  public boolean overwrite() {
    return overwrite;
  }

  /**
   * Overrides the run's thread count (0 keeps the configured one). A runtime choice, not part of the
   * recipe: on the Java kernels results do not depend on it.
   */
  public TrainingControl threads(int v) {
    if (v < 0 || v > RunSettings.MAX_THREADS) {
      throw new IllegalArgumentException("--threads must be in 1.." + RunSettings.MAX_THREADS
          + " (or 0 for the run's own), got " + v);
    }
    threads = v;
    return this;
  }

  public int threads() {
    return threads;
  }

  public TrainingListener listener() {
    return listener;
  }

  /** Asks the run to checkpoint and return as soon as the current batch ends. Thread-safe. */
  public void requestStop() {
    stop = true;
  }

  public boolean stopRequested() {
    return stop || (stopsWith != null && stopsWith.stopRequested());
  }
}
