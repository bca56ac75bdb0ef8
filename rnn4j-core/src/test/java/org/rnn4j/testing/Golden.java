package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.rnn4j.io.Safetensors;

/** Loads the PyTorch fixtures written by tools/golden/make_golden.py and compares arrays. */
public final class Golden {
  private Golden() {}

  public static Safetensors.Contents load(String name) {
    String path = "/golden/" + name + ".safetensors";
    try (InputStream in = Golden.class.getResourceAsStream(path)) {
      assertNotNull(in, "missing fixture " + path + " (run tools/golden/make_golden.py)");
      return Safetensors.read(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static float[] floats(Safetensors.Contents f, String name) {
    Safetensors.Tensor t = f.get(name);
    assertNotNull(t, "fixture has no tensor " + name);
    return t.toFloats();
  }

  public static int[] ints(Safetensors.Contents f, String name) {
    Safetensors.Tensor t = f.get(name);
    assertNotNull(t, "fixture has no tensor " + name);
    return t.toInts();
  }

  /**
   * Fails unless |expected - actual| <= atol + rtol·|expected| everywhere; returns the max abs
   * difference and prints it, so the measured error behind each tolerance stays visible.
   */
  public static double assertClose(String what, float[] expected, float[] actual, double atol, double rtol) {
    if (expected.length != actual.length) {
      fail(what + ": expected " + expected.length + " values, got " + actual.length);
    }
    double max = 0;
    int worst = -1;
    double worstExcess = 0;
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs((double) expected[i] - actual[i]);
      if (Double.isNaN(d)) {
        fail(what + ": NaN at index " + i + " (expected " + expected[i] + ", got " + actual[i] + ")");
      }
      max = Math.max(max, d);
      double excess = d - (atol + rtol * Math.abs(expected[i]));
      if (excess > worstExcess) {
        worstExcess = excess;
        worst = i;
      }
    }
    System.out.printf(Locale.ROOT, "  %-40s max |diff| = %.3e%n", what, max);
    if (worst >= 0) {
      fail(String.format(Locale.ROOT, "%s: index %d expected %.8g, got %.8g (|diff| %.3e > atol %.1e + rtol %.1e)",
          what, worst, expected[worst], actual[worst], Math.abs(expected[worst] - actual[worst]), atol, rtol));
    }
    return max;
  }
}
