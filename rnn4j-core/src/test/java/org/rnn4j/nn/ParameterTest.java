package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.rnn4j.math.Blas;
import org.rnn4j.math.PackedMatrix;

/** The packed weights layers multiply with must always be those of the current values. */
class ParameterTest {
  private static final int ROWS = 21; // W is (21, 18): panel and tail columns in both packings
  private static final int COLS = 18;

  private static float[] values(float seed) {
    float[] v = new float[ROWS * COLS];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) Math.sin(seed + i);
    }
    return v;
  }

  /** x·Wᵀ (x is 1×COLS) or, not transposed, x·W (x is 1×ROWS): through the packed form and directly. */
  private static void assertProduct(Parameter w, boolean transposed, float[] x) {
    int k = transposed ? COLS : ROWS;
    int n = transposed ? ROWS : COLS;
    float[] got = new float[n];
    Blas.gemm(1, x, 0, k, transposed ? w.packedTransposed() : w.packed(), 0f, got, 0, n);
    float[] expected = new float[n];
    Blas.gemm(false, transposed, 1, n, k, x, 0, k, w.data(), w.offset(), COLS, 0f, expected, 0, n);
    assertArrayEquals(expected, got);
  }

  @Test
  void packedTransposed_followsValueChanges() {
    ParameterSet ps = new ParameterSet();
    ps.add("bias", 4); // W does not start at offset 0
    Parameter w = ps.add("w", ROWS, COLS);
    float[] x = new float[COLS];
    for (int i = 0; i < COLS; i++) {
      x[i] = 0.1f * i - 0.7f;
    }
    w.set(values(1f));
    assertProduct(w, true, x);
    w.set(values(2f));
    assertProduct(w, true, x);
    w.data()[w.offset() + 5] = 9f; // a direct write, announced as optimizers do
    ps.touch();
    assertProduct(w, true, x);
  }

  @Test
  void packed_isTheMatrixForInputGradients() {
    ParameterSet ps = new ParameterSet();
    Parameter w = ps.add("w", ROWS, COLS);
    w.set(values(3f));
    float[] d = new float[ROWS];
    for (int i = 0; i < ROWS; i++) {
      d[i] = 0.05f * i;
    }
    assertProduct(w, false, d);
  }

  @Test
  void packedTransposed_unchangedValues_reusesThePacking() {
    ParameterSet ps = new ParameterSet();
    Parameter w = ps.add("w", ROWS, COLS);
    PackedMatrix first = w.packedTransposed();
    assertSame(first, w.packedTransposed());
    assertEquals(COLS, first.rows());
    assertEquals(ROWS, first.cols());
  }

  @Test
  void packedTransposed_ofVector_isRefused() {
    Parameter b = new ParameterSet().add("fc.bias", 4);
    IllegalStateException e = assertThrows(IllegalStateException.class, b::packedTransposed);
    assertEquals("fc.bias is not a matrix", e.getMessage());
  }

  @Test
  void add_valuesSetBetweenRegistrationsSurviveAndArraysAreSizedOnce() {
    ParameterSet ps = new ParameterSet();
    Parameter a = ps.add("a", 3, 2);
    a.set(new float[] {1, 2, 3, 4, 5, 6});
    a.grad()[a.offset() + 5] = 7f;
    Parameter b = ps.add("b", 4);
    Parameter c = ps.add("c", 2, 5);
    assertEquals(20, ps.size());
    float[] data = ps.data();
    assertEquals(20, data.length);
    assertEquals(20, ps.grad().length);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.values());
    assertEquals(7f, ps.grad()[5]);
    assertArrayEquals(new float[4], b.values());
    assertArrayEquals(new float[10], c.values());
    assertSame(data, ps.data(), "the arrays do not move once registration is over");
  }
}
