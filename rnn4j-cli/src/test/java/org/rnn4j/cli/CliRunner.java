package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in-process, capturing stdout and stderr. */
final class CliRunner {
  int code;
  String out;
  String err;

  /** The command ended with this exit code and printed exactly one line, expected, and no stack trace. */
  static void assertOneLineError(CliRunner r, int code, String expected) {
    assertEquals(code, r.code, r.toString());
    assertEquals(expected + "\n", r.err, r.toString());
    assertFalse(r.err.contains("\tat "), "stack trace printed");
  }

  static CliRunner run(String... args) {
    return runWithInput(null, args);
  }

  static synchronized CliRunner runWithInput(String stdin, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    InputStream oldIn = System.in;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    CliRunner r = new CliRunner();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      if (stdin != null) {
        System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      }
      r.code = Main.run(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      System.setIn(oldIn);
    }
    r.out = o.toString(StandardCharsets.UTF_8);
    r.err = e.toString(StandardCharsets.UTF_8);
    return r;
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
