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

  /** x (1×COLS) · Wᵀ through the packed form, and directly. */
  private static void assertProductOfTransposed(Parameter w, float[] x) {
    float[] got = new float[ROWS];
    Blas.gemm(1, x, 0, COLS, w.packedTransposed(), 0f, got, 0, ROWS);
    float[] expected = new float[ROWS];
    Blas.gemm(false, true, 1, ROWS, COLS, x, 0, COLS, w.data(), w.offset(), COLS, 0f, expected, 0, ROWS);
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
    assertProductOfTransposed(w, x);
    w.set(values(2f));
    assertProductOfTransposed(w, x);
    w.data()[w.offset() + 5] = 9f; // a direct write, announced as optimizers do
    ps.touch();
    assertProductOfTransposed(w, x);
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
    float[] got = new float[COLS];
    Blas.gemm(1, d, 0, ROWS, w.packed(), 0f, got, 0, COLS);
    float[] expected = new float[COLS];
    Blas.gemm(false, false, 1, COLS, ROWS, d, 0, ROWS, w.data(), w.offset(), COLS, 0f, expected, 0, COLS);
    assertArrayEquals(expected, got);
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
}
