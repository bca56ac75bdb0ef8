package org.rnn4j.math;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool of worker threads for data-parallel loops.
 *
 * <p>Work is split into contiguous parts whose boundaries depend only on the problem, never on
 * timing, so every result is bit-identical from run to run. The pool serves one parallel region at
 * a time: a caller that finds it busy (another thread, or a nested region) runs its parts inline,
 * which keeps concurrent inference safe without any shared mutable state.
 */
public final class Parallel {
  /** A task over the half-open range [lo, hi). */
  @FunctionalInterface
  public interface RangeTask {
    void run(int lo, int hi);
  }

  /** A task over one part of {@code parts}. */
  @FunctionalInterface
  public interface PartTask {
    void run(int part, int parts);
  }

  private static volatile Pool pool = new Pool(defaultThreads());

  private Parallel() {}

  private static int defaultThreads() {
    String p = System.getProperty("rnn4j.threads");
    if (p != null) {
      try {
        int n = Integer.parseInt(p.trim());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException ignored) {
        // fall through to the machine default
      }
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /** Number of threads a parallel region uses (the caller included). */
  public static int threads() {
    return pool.threads();
  }

  /** Replaces the pool; {@code n >= 1}. Not to be called while a region is running. */
  public static synchronized void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + n);
    }
    if (n != pool.threads()) {
      Pool old = pool;
      pool = new Pool(n);
      old.shutdown();
    }
  }

  /**
   * Runs {@code task} over [0, n) split into at most {@link #threads()} contiguous chunks of at
   * least {@code grain} items each. Chunk boundaries are multiples of {@code align}.
   */
  public static void forRange(int n, int grain, int align, RangeTask task) {
    if (n <= 0) {
      return;
    }
    int parts = Math.min(threads(), Math.max(1, n / Math.max(1, grain)));
    if (parts <= 1) {
      task.run(0, n);
      return;
    }
    int units = (n + align - 1) / align;
    parts = Math.min(parts, units);
    final int p = parts;
    run(p, (part, total) -> {
      int lo = Math.min(n, (int) ((long) units * part / total) * align);
      int hi = Math.min(n, (int) ((long) units * (part + 1) / total) * align);
      if (lo < hi) {
        task.run(lo, hi);
      }
    });
  }

  /** Runs {@code task(part, parts)} for every part, in parallel when the pool is free. */
  public static void run(int parts, PartTask task) {
    pool.run(parts, task);
  }

  private static final class Pool {
    final Worker[] workers;
    final AtomicBoolean busy = new AtomicBoolean();

    Pool(int threads) {
      workers = new Worker[threads - 1];
      for (int i = 0; i < workers.length; i++) {
        workers[i] = new Worker("rnn4j-worker-" + (i + 1));
        workers[i].start();
      }
    }

    int threads() {
      return workers.length + 1;
    }

    void shutdown() {
      for (Worker w : workers) {
        w.stop = true;
        LockSupport.unpark(w);
      }
    }

    void run(int parts, PartTask task) {
      if (parts <= 1 || workers.length == 0 || !busy.compareAndSet(false, true)) {
        for (int p = 0; p < parts; p++) {
          task.run(p, parts);
        }
        return;
      }
      try {
        int helpers = Math.min(parts - 1, workers.length);
        Job job = new Job(task, parts, helpers + 1);
        for (int w = 0; w < helpers; w++) {
          workers[w].submit(job, w + 1);
        }
        job.runLane(0);
        job.await();
        job.rethrow();
      } finally {
        busy.set(false);
      }
    }
  }

  /** One parallel region: lane k runs parts k, k+lanes, k+2*lanes, ... */
  private static final class Job {
    final PartTask task;
    final int parts;
    final int lanes;
    final AtomicInteger pending;
    final Thread caller = Thread.currentThread();
    volatile Throwable error;

    Job(PartTask task, int parts, int lanes) {
      this.task = task;
      this.parts = parts;
      this.lanes = lanes;
      this.pending = new AtomicInteger(lanes - 1);
    }

    void runLane(int lane) {
      try {
        for (int p = lane; p < parts; p += lanes) {
          task.run(p, parts);
        }
      } catch (Throwable t) {
        if (error == null) {
          error = t;
        }
      }
    }

    void laneDone() {
      if (pending.decrementAndGet() == 0) {
        LockSupport.unpark(caller);
      }
    }

    void await() {
      int spins = 0;
      while (pending.get() != 0) {
        if (++spins < 20_000) {
          Thread.onSpinWait();
        } else {
          LockSupport.parkNanos(this, 50_000);
        }
      }
    }

    void rethrow() {
      Throwable t = error;
      if (t instanceof RuntimeException) {
        throw (RuntimeException) t;
      }
      if (t instanceof Error) {
        throw (Error) t;
      }
      if (t != null) {
        throw new IllegalStateException(t);
      }
    }
  }

  private static final class Worker extends Thread {
    volatile Job job;
    volatile int lane;
    volatile boolean stop;

    Worker(String name) {
      super(name);
      setDaemon(true);
    }

    void submit(Job j, int l) {
      lane = l;
      job = j;
      LockSupport.unpark(this);
    }

    @Override
    public void run() {
      int spins = 0;
      while (!stop) {
        Job j = job;
        if (j == null) {
          // Spin briefly: regions come in quick succession during training.
          if (++spins < 50_000) {
            Thread.onSpinWait();
          } else {
            LockSupport.park(this);
          }
          continue;
        }
        spins = 0;
        job = null;
        j.runLane(lane);
        j.laneDone();
      }
    }
  }
}
