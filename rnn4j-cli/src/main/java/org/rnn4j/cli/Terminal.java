package org.rnn4j.cli;

/**
 * Facts about where output goes. The launcher passes {@code -Drnn4j.tty=true} when stderr is a
 * terminal (it filters the JVM's incubator warning through a pipe, so the JVM cannot see that
 * itself) and {@code -Drnn4j.columns} with the terminal width.
 */
final class Terminal {
  private Terminal() {}

  static boolean interactive() {
    String p = System.getProperty("rnn4j.tty");
    if (p != null) {
      return Boolean.parseBoolean(p);
    }
    return System.console() != null;
  }

  static int columns() {
    try {
      return Math.max(40, Integer.parseInt(System.getProperty("rnn4j.columns", "100")));
    } catch (NumberFormatException e) {
      return 100;
    }
  }
}
