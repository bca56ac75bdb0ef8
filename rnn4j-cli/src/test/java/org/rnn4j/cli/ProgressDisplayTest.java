package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
  /**
   * A resumed epoch starts with most of its samples already done: the rate must count only what
   * this process did (about 500k/s here), not 9 million samples in a tenth of a second.
   */
  @Test
  void batchFinished_afterResume_ratesOnlyThisProcess() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ProgressDisplay p = new ProgressDisplay(new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8), false, "chars");
    p.epochStarted(3, 5, 1_000_000);
    p.batchFinished(3, 850_000, 1_000_000, 1.5, Double.NaN);
    Thread.sleep(100);
    p.batchFinished(3, 900_000, 1_000_000, 1.4, Double.NaN);
    String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length, err.toString(StandardCharsets.UTF_8));
    assertTrue(lines[1].startsWith("epoch 3/5  90% 900000/1000000 chars "), lines[1]);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(" ([0-9.]+)([kM]?)/s ").matcher(lines[1]);
    assertTrue(m.find(), lines[1]);
    double rate = Double.parseDouble(m.group(1)) * (m.group(2).equals("k") ? 1e3 : m.group(2).equals("M") ? 1e6 : 1);
    // 50,000 in at least 0.1 s is at most 500k/s; counting the 850,000 done before would give ~9M/s.
    assertTrue(rate <= 520_000, "rate counts the samples done before the resume: " + lines[1]);
  }
}
