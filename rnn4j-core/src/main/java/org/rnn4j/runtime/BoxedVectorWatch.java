package org.rnn4j.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Notices, once per run, when training steps allocate like a process whose JIT left Vector API
 * operations boxed.
 *
 * <p>Compiled, a training step allocates some kilobytes. In a small share of JDK 17 processes, C2
 * gives up on part of a vector kernel and every operation there allocates its result on the heap:
 * megabytes or more per step, and the run stays slow from start to end (how often, and how slow:
 * BENCHMARKS.md, "Method": processes that measure the JIT). The process cannot
 * recover, but the user can restart
 * it or move to a newer JDK, so the trainer says so. The window opens after {@link #WARM_UP_NANOS},
 * when the kernels have been compiled, and spans at least {@link #MIN_STEPS} steps and
 * {@link #WINDOW_NANOS}; work between steps that allocates (a checkpoint, an evaluation) must call
 * {@link #restart}.
 */
public final class BoxedVectorWatch {
  /** Above this a step allocates more than its bookkeeping: boxed vectors. */
  public static final long BOXED_BYTES_PER_STEP = 1 << 20;
  static final long WARM_UP_NANOS = 5_000_000_000L;
  static final long WINDOW_NANOS = 1_000_000_000L;
  static final int MIN_STEPS = 10;

  private final LongSupplier allocated;
  private final LongSupplier clock;
  private final long started;
  private long windowStart = -1;
  private long windowBytes;
  private int windowSteps;
  private boolean done;

  /** A watch over all threads' allocation, from now. */
  public BoxedVectorWatch() {
    this(BoxedVectorWatch::allocatedBytes, System::nanoTime);
  }

  BoxedVectorWatch(LongSupplier allocated, LongSupplier clock) {
    this.allocated = allocated;
    this.clock = clock;
    this.started = clock.getAsLong();
  }

  /**
   * Call after every training step. Returns the bytes allocated per step once, at the end of the
   * first full window, when that is above {@link #BOXED_BYTES_PER_STEP}; otherwise -1.
   */
  public long afterStep() {
    if (done) {
      return -1;
    }
    long now = clock.getAsLong();
    if (windowStart < 0) {
      if (now - started >= WARM_UP_NANOS) {
        open(now);
      }
      return -1;
    }
    windowSteps++;
    if (windowSteps < MIN_STEPS || now - windowStart < WINDOW_NANOS) {
      return -1;
    }
    done = true;
    long bytes = allocated.getAsLong();
    if (windowBytes < 0 || bytes < 0) {
      return -1; // the JVM does not count allocation
    }
    long perStep = (bytes - windowBytes) / windowSteps;
    return perStep > BOXED_BYTES_PER_STEP ? perStep : -1;
  }

  /** Discards the window so far: something other than training steps ran since the last step. */
  public void restart() {
    if (!done && windowStart >= 0) {
      open(clock.getAsLong());
    }
  }

  private void open(long now) {
    windowStart = now;
    windowBytes = allocated.getAsLong();
    windowSteps = 0;
  }

  /** The one-line warning for {@code bytesPerStep}, naming the cause and the remedies. */
  public static String message(long bytesPerStep) {
    return String.format(java.util.Locale.ROOT, "warning: training steps allocate %,d bytes each: this JVM's JIT left"
        + " vector operations boxed (a JDK 17 fault, in about one process in 25), which makes this run slower than usual"
        + " (up to 15x); stop it (a checkpoint is written) and --resume it, or run on JDK 21 or newer (./rnn4j picks one"
        + " that is installed unless JAVA_HOME is set)", bytesPerStep);
  }

  /**
   * Bytes allocated so far by all live threads, or -1 where the JVM does not count them. Threads
   * that ended meanwhile drop out of the sum, so only differences over one stretch of work mean
   * anything; {@link #allocationCounters} and {@link #allocatedSince} measure a stretch without
   * that fault.
   */
  public static long allocatedBytes() {
    long total = 0;
    Map<Long, Long> now = allocationCounters();
    if (now == null) {
      return -1;
    }
    for (long bytes : now.values()) {
      total += bytes;
    }
    return total;
  }

  /** Each live thread's allocated bytes by thread id, or null where the JVM does not count them. */
  public static Map<Long, Long> allocationCounters() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    if (!(mx instanceof com.sun.management.ThreadMXBean)) {
      return null;
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) mx;
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    Map<Long, Long> m = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0) { // -1 for a thread that ended meanwhile
        m.put(ids[i], bytes[i]);
      }
    }
    return m;
  }

  /**
   * Bytes the threads allocated since {@code before} (from {@link #allocationCounters}): each live
   * thread's growth, all of a thread started since. A thread that ended in between is left out, so
   * the figure can miss work but never goes negative (the live-thread total of
   * {@link #allocatedBytes} falls when an allocating thread ends). -1 where not counted.
   */
  public static long allocatedSince(Map<Long, Long> before) {
    Map<Long, Long> now = allocationCounters();
    if (before == null || now == null) {
      return -1;
    }
    long total = 0;
    for (Map.Entry<Long, Long> e : now.entrySet()) {
      total += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
    }
    return total;
  }
}
