package org.rnn4j.runtime;

/**
 * Runs the numeric kernels on small synthetic data in a background thread, so that the JIT has
 * compiled them by the time real work starts. Until C2 compiles them, Vector API kernels run
 * interpreted and box every vector, which makes a first epoch about twice as slow; started while
 * a trainer loads and tokenises its data, the warm-up uses a core that would otherwise idle.
 * The work touches no shared state and its results are discarded.
 */
public final class WarmUp {
  private WarmUp() {}

  /**
   * Starts the warm-up of {@code body} in a daemon thread, which stops after {@code millis}; the
   * body is called repeatedly. Returns the thread.
   */
  public static Thread start(Runnable body, long millis) {
    Thread t = new Thread(() -> {
      long end = System.nanoTime() + millis * 1_000_000L;
      try {
        while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
          body.run();
        }
      } catch (RuntimeException | Error e) {
        // A failed warm-up only costs speed; the real run reports real problems.
      }
    }, "rnn4j-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
    return t;
  }
}
