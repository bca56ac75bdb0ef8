package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bad -Drnn4j.* setting is a usage error of one line, not a stack trace from the class that reads it
 * first. Settings are read once per JVM, so each case runs in its own.
 */
class JvmSettingsTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "rnn4j.projectionTableMb=abc | rnn4j.projectionTableMb must be a whole number of megabytes >= 0, got 'abc'",
      "rnn4j.projectionTableMb=-3  | rnn4j.projectionTableMb must be a whole number of megabytes >= 0, got '-3'",
      "rnn4j.gemm=fortran          | rnn4j.gemm must be java or native, got 'fortran'",
      "rnn4j.tuning=fast           | rnn4j.tuning must be on or off, got 'fast'"})
  void main_badSetting_isOneLineUsageError(String setting, String message) throws Exception {
    Process p = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
        "--add-modules", "jdk.incubator.vector", "-D" + setting, "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "--version"))
        .redirectErrorStream(true).start();
    String out = output(p);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
    assertEquals(Main.USAGE, p.exitValue(), out);
    List<String> lines = out.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
    assertEquals(List.of("rnn4j: error: " + message), lines);
    assertFalse(out.contains("\tat "), out);
  }

  private static String output(Process p) throws IOException {
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
