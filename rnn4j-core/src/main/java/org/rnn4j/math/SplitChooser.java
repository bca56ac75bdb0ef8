package org.rnn4j.math;

/**
 * Chooses by timing whether a small region that repeats (the time loop of a small layer) runs split
 * across the pool or whole on the calling thread.
 *
 * <p>On a two-vCPU virtual machine whose vCPUs the host schedules as it pleases, splitting a region
 * of some tens of microseconds pays in some processes and costs in others (BENCHMARKS.md,
 * "Method": the small models' two-thread speed is bimodal). Neither choice is right everywhere, so each
 * is timed where it runs. The
 * choice must not change results; the callers split work so that every row is computed the same way
 * on any thread.
 *
 * <p>The first {@link #WARM_UP} calls alternate, starting split. Then the faster of the two running
 * averages (nanoseconds per item of work) wins, and every {@link #PROBE} calls two run the other
 * way, so that a process whose machine changes its behaviour follows it. Only the second of the two
 * counts: after a stretch of whole calls the pool's workers have gone to sleep, and the first split
 * call pays for waking them, which a run of split calls does not (counting the first misled the
 * choice: BENCHMARKS.md, "Figures behind the code's choices"). Not thread-safe: one chooser per
 * workspace.
 */
public final class SplitChooser {
  /** Calls that alternate before the first choice. */
  static final int WARM_UP = 16;
  /** After the warm-up, one call in this many runs the way not chosen. */
  static final int PROBE = 64;
  /** Weight of a new sample in a running average: about the last eight samples count. */
  private static final double ALPHA = 0.25;

  private long calls;
  /** Set while the call just chosen is the first of a probe pair, whose time is not recorded. */
  private boolean discard;
  private double splitNs = Double.NaN;
  private double wholeNs = Double.NaN;

  /** Whether the next call should run split. */
  public boolean split() {
    long c = calls++;
    discard = false;
    if (c < WARM_UP || Double.isNaN(splitNs) || Double.isNaN(wholeNs)) {
      return (c & 1) == 0;
    }
    boolean faster = splitNs <= wholeNs;
    long phase = c % PROBE;
    discard = phase == 0;
    return phase <= 1 ? !faster : faster;
  }

  /**
   * Records how long a call took that ran split or whole, for {@code items} items of work (tokens,
   * rows); time per item makes calls of different sizes comparable. Ignored for the first call of a
   * probe pair, and for a non-positive duration (a clock that did not advance).
   */
  public void record(boolean split, long nanos, long items) {
    if (nanos <= 0 || discard) {
      return;
    }
    double perItem = (double) nanos / Math.max(1, items);
    if (split) {
      splitNs = average(splitNs, perItem);
    } else {
      wholeNs = average(wholeNs, perItem);
    }
  }

  /**
   * The running average with a new sample, capped at twice the average: one call that a timer
   * interrupt or a collection stretched must not flip the choice (each flip costs a probe period of
   * the slower way), while a real change, which repeats,
   * still moves the average by a quarter of itself per call.
   */
  private static double average(double average, double sample) {
    if (Double.isNaN(average)) {
      return sample;
    }
    return average + ALPHA * (Math.min(sample, 2 * average) - average);
  }

  /** Running average per item of calls that ran split, or NaN before the first. */
  public double splitNanosPerItem() {
    return splitNs;
  }

  /** Running average per item of calls that ran whole, or NaN before the first. */
  public double wholeNanosPerItem() {
    return wholeNs;
  }
}
