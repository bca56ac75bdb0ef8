package org.rnn4j.cli;

import org.rnn4j.math.Parallel;

/** Small helpers shared by commands. */
final class Commands {
  private Commands() {}

  /** Applies --threads (validated) to the worker pool. */
  static void threads(Integer threads) {
    if (threads == null) {
      return;
    }
    if (threads < 1 || threads > 1024) {
      throw new UsageException("--threads must be in 1..1024, got " + threads);
    }
    Parallel.setThreads(threads);
  }
}
