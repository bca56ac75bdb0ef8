package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.rnn4j.testing.Golden.assertClose;
import static org.rnn4j.testing.Golden.floats;
import static org.rnn4j.testing.Golden.ints;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.io.Safetensors;
import org.rnn4j.testing.Golden;

/**
 * Every cell × {1, 2 layers} × {uni, bidirectional} × {equal, mixed lengths} against PyTorch 1.13:
 * outputs, final states, and the gradients of the input, the initial states and every parameter.
 *
 * <p>Tolerance: 2e-5 absolute plus 1e-4 relative. The largest difference measured over all cases
 * is 2.4e-6 (float32 sums in a different order than OpenBLAS); 2e-5 leaves room for other
 * summation orders while still catching any real error, which shows up at 1e-2 and above.
 */
class RecurrentStackGoldenTest {
  static final double ATOL = 2e-5;
  static final double RTOL = 1e-4;

  @org.junit.jupiter.api.BeforeAll
  static void reportBackend() {
    System.out.println("backend: gemm=" + org.rnn4j.math.Blas.current().name() + ", vector="
        + org.rnn4j.math.Vectorization.describe());
  }

  static Stream<String> cases() {
    List<String> names = new ArrayList<>();
    for (String cell : new String[] {"rnn_tanh", "rnn_relu", "lstm", "gru"}) {
      for (int layers = 1; layers <= 2; layers++) {
        for (String dir : new String[] {"uni", "bi"}) {
          for (String len : new String[] {"equal", "mixed"}) {
            names.add(cell + "_l" + layers + "_" + dir + "_" + len);
          }
        }
      }
    }
    names.add("lstm_l2_bi_mixed_wide");
    names.add("gru_l1_bi_mixed_wide");
    names.add("rnn_tanh_l1_uni_mixed_wide");
    return names.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forwardAndBackward_matchPyTorch(String name) {
    Safetensors.Contents f = Golden.load(name);
    Map<String, String> m = f.metadata();
    CellType cell = CellType.parse(m.get("cell"));
    int layers = Integer.parseInt(m.get("layers"));
    boolean bi = Boolean.parseBoolean(m.get("bidirectional"));
    int input = Integer.parseInt(m.get("input_size"));
    int hidden = Integer.parseInt(m.get("hidden_size"));
    int t = Integer.parseInt(m.get("T"));

    ParameterSet params = new ParameterSet();
    RecurrentStack stack = new RecurrentStack(params, "rnn.", cell, input, hidden, layers, bi, 0f);
    TreeSet<String> fixtureNames = new TreeSet<>();
    for (String k : f.tensors().keySet()) {
      if (k.startsWith("rnn.")) {
        fixtureNames.add(k);
      }
    }
    TreeSet<String> ourNames = new TreeSet<>();
    for (Parameter p : params.parameters()) {
      ourNames.add(p.name());
      Safetensors.Tensor w = f.get(p.name());
      assertNotNull(w, "PyTorch has no parameter " + p.name());
      assertEquals(List.of(toList(w.intShape())), List.of(toList(p.shape())), p.name() + " shape");
      p.set(w.toFloats());
    }
    assertEquals(fixtureNames, ourNames, "parameter names");

    boolean lstm = cell == CellType.LSTM;
    RecurrentStack.Cache cache = stack.newCache();
    RecurrentStack.Output out = stack.forwardPadded(cache, floats(f, "x"), ints(f, "lengths"), t,
        floats(f, "h0"), lstm ? floats(f, "c0") : null, false, null);
    System.out.println(name);
    assertClose("out", floats(f, "out"), out.output, ATOL, RTOL);
    assertClose("h_n", floats(f, "h_n"), out.hN, ATOL, RTOL);
    if (lstm) {
      assertClose("c_n", floats(f, "c_n"), out.cN, ATOL, RTOL);
    }

    float[] h0 = floats(f, "h0");
    float[] dh0 = new float[h0.length];
    float[] dc0 = lstm ? new float[h0.length] : null;
    float[] dx = stack.backwardPadded(cache, floats(f, "g_out"), floats(f, "g_h_n"),
        lstm ? floats(f, "g_c_n") : null, dh0, dc0);
    assertClose("grad.x", floats(f, "grad.x"), dx, ATOL, RTOL);
    assertClose("grad.h0", floats(f, "grad.h0"), dh0, ATOL, RTOL);
    if (lstm) {
      assertClose("grad.c0", floats(f, "grad.c0"), dc0, ATOL, RTOL);
    }
    for (Parameter p : params.parameters()) {
      assertClose("grad." + p.name(), floats(f, "grad." + p.name()), p.gradient(), ATOL, RTOL);
    }
  }

  private static Integer[] toList(int[] a) {
    Integer[] r = new Integer[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i];
    }
    return r;
  }
}
