package org.rnn4j.cli;

import org.rnn4j.train.TrainingControl;

/**
 * Turns the first Ctrl-C (SIGINT) or SIGTERM (kill, docker stop, systemd) into a stop request, so
 * that training checkpoints and exits cleanly; a second one exits at once. A signal the process
 * inherited as ignored (SIGINT in a background job started by a script) stays ignored: the JVM
 * does not install handlers for those.
 */
final class Interrupts {
  private Interrupts() {}

  /** Runs {@code stop} on the first Ctrl-C or SIGTERM; a second one exits at once. */
  @SuppressWarnings("restriction")
  static void onStop(Runnable stop) {
    boolean[] seen = {false};
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
          if (seen[0]) {
            Runtime.getRuntime().halt(Main.INTERRUPTED);
          }
          seen[0] = true;
          stop.run();
        });
      } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
        // No signal support: the JVM's default handling applies.
      }
    }
  }

  @SuppressWarnings("restriction")
  static void stopOnInterrupt(TrainingControl control) {
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
          if (control.stopRequested()) {
            System.err.println();
            System.err.println("rnn4j: interrupted again, exiting without a final checkpoint");
            Runtime.getRuntime().halt(Main.INTERRUPTED);
          }
          System.err.println();
          System.err.println("rnn4j: stopping after this batch (Ctrl-C again to quit at once) ...");
          control.requestStop();
        });
      } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
        // No signal support: the JVM's default handling applies and the last checkpoint stays valid.
      }
    }
  }
}
