package org.rnn4j.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.testing.Golden.assertClose;
import static org.rnn4j.testing.Golden.floats;
import static org.rnn4j.testing.Golden.ints;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.io.Safetensors;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Parameter;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;
import org.rnn4j.testing.Golden;

/**
 * The language model against PyTorch over two truncated-BPTT windows with the state carried and
 * detached (as ../shared/bench/torch_charlm.py trains), stepping against the full forward, and
 * finite differences. Measured max difference to PyTorch 1.2e-7 on logits and 2.2e-8 on gradients,
 * with the first layer fed the N looked-up rows or each distinct token's row once; tolerance 1e-6
 * absolute + 1e-5 relative, as for the classifier.
 */
class LanguageModelNetTest {
  static Stream<Arguments> goldenCases() {
    return Stream.of("lm_lstm_l2", "lm_gru_l1", "lm_rnn_l1")
        .flatMap(n -> Stream.of(Arguments.of(n, EmbeddedInput.Grouping.NEVER),
            Arguments.of(n, EmbeddedInput.Grouping.ALWAYS)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("goldenCases")
  void truncatedBptt_matchesPyTorch(String name, EmbeddedInput.Grouping grouping) {
    Safetensors.Contents f = Golden.load(name);
    Map<String, String> m = f.metadata();
    int v = Integer.parseInt(m.get("vocabulary"));
    int b = Integer.parseInt(m.get("batch"));
    int t = Integer.parseInt(m.get("steps"));
    LanguageModelNet net = new LanguageModelNet(NetConfig.builder().cell(CellType.parse(m.get("cell")))
        .vocabulary(v).classes(v).embed(Integer.parseInt(m.get("embed"))).hidden(Integer.parseInt(m.get("hidden")))
        .layers(Integer.parseInt(m.get("layers"))).build());
    for (Parameter p : net.parameters().parameters()) {
      p.set(floats(f, p.name()));
    }
    int[] ids = ints(f, "ids");
    int width = ids.length / b;
    LanguageModelNet.State state = net.newState(b);
    LanguageModelNet.Workspace ws = net.newWorkspace();
    ws.input.grouping(grouping);
    int[] x = new int[b * t];
    int[] y = new int[b * t];
    for (int w = 0; w < Integer.parseInt(m.get("windows")); w++) {
      for (int r = 0; r < b; r++) {
        System.arraycopy(ids, r * width + w * t, x, r * t, t);
        System.arraycopy(ids, r * width + w * t + 1, y, r * t, t);
      }
      net.parameters().zeroGrad();
      float[] logits = net.forward(ws, x, b, t, state, true, null);
      assertClose("w" + w + ".logits", floats(f, "w" + w + ".logits"), batchMajor(logits, b, t, v), 1e-6, 1e-5);
      assertEquals(floats(f, "w" + w + ".loss")[0], net.loss(ws, y), 1e-6, "w" + w + ".loss");
      net.backward(ws);
      for (Parameter p : net.parameters().parameters()) {
        assertClose("w" + w + ".grad." + p.name(), floats(f, "w" + w + ".grad." + p.name()), p.gradient(), 1e-6, 1e-5);
      }
    }
    assertClose("h_n", floats(f, "h_n"), state.hidden(), 1e-6, 1e-5);
    if (state.cell() != null) {
      assertClose("c_n", floats(f, "c_n"), state.cell(), 1e-6, 1e-5);
    }
  }

  /** Generation depends on this: feeding tokens one at a time is the full forward, bit for bit. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(CellType.class)
  void step_equalsFullForwardExactly(CellType cell) {
    for (int b : new int[] {1, 3, 7}) {
      LanguageModelNet net = smallNet(cell, 2, 37, 19);
      int t = 11;
      int v = net.vocabulary();
      int[] tokens = randomTokens(new Rng(5 + b), b * t, v);
      LanguageModelNet.State full = net.newState(b);
      float[] logits = net.forward(net.newWorkspace(), tokens, b, t, full, false, null).clone();
      LanguageModelNet.State stepped = net.newState(b);
      LanguageModelNet.Workspace ws = net.newWorkspace();
      int[] column = new int[b];
      for (int s = 0; s < t; s++) {
        for (int r = 0; r < b; r++) {
          column[r] = tokens[r * t + s];
        }
        float[] out = net.step(ws, column, stepped);
        assertArrayEquals(Arrays.copyOfRange(logits, s * b * v, (s + 1) * b * v), Arrays.copyOf(out, b * v),
            cell + " B=" + b + " step " + s);
      }
      assertArrayEquals(full.hidden(), stepped.hidden());
      if (full.cell() != null) {
        assertArrayEquals(full.cell(), stepped.cell());
      }
    }
  }

  /** Carrying the state across windows is the same as one long window (forward only). */
  @Test
  void forward_carriedStateEqualsOneLongWindow() {
    LanguageModelNet net = smallNet(CellType.LSTM, 1, 16, 33);
    int b = 4;
    int[] tokens = randomTokens(new Rng(9), b * 12, 16);
    LanguageModelNet.State one = net.newState(b);
    float[] whole = net.forward(net.newWorkspace(), tokens, b, 12, one, false, null).clone();
    LanguageModelNet.State two = net.newState(b);
    LanguageModelNet.Workspace ws = net.newWorkspace();
    for (int w = 0; w < 2; w++) {
      int[] part = new int[b * 6];
      for (int r = 0; r < b; r++) {
        System.arraycopy(tokens, r * 12 + w * 6, part, r * 6, 6);
      }
      float[] out = net.forward(ws, part, b, 6, two, false, null);
      float[] expected = Arrays.copyOfRange(whole, w * 6 * b * 16, (w + 1) * 6 * b * 16);
      assertClose("window " + w, expected, Arrays.copyOf(out, expected.length), 1e-6, 1e-5);
    }
  }

  @Test
  void gradients_matchFiniteDifferences() {
    for (CellType cell : new CellType[] {CellType.LSTM, CellType.GRU, CellType.RNN_TANH}) {
      LanguageModelNet net = smallNet(cell, 2, 7, 5);
      Rng rng = new Rng(cell.ordinal());
      int b = 3;
      int t = 4;
      int[] x = randomTokens(rng, b * t, 7);
      int[] y = randomTokens(rng, b * t, 7);
      y[5] = org.rnn4j.nn.SoftmaxCrossEntropy.IGNORE;
      LanguageModelNet.State start = net.newState(b);
      for (int i = 0; i < start.hidden().length; i++) {
        start.hidden()[i] = rng.uniform(-0.5f, 0.5f);
      }
      LanguageModelNet.Workspace ws = net.newWorkspace();
      LanguageModelNet.State s = net.newState(b);
      s.copyFrom(start);
      net.forward(ws, x, b, t, s, false, null);
      net.loss(ws, y);
      net.backward(ws);
      float[] grad = net.parameters().grad().clone();
      float[] data = net.parameters().data();
      double eps = 1e-2;
      for (Parameter p : net.parameters().parameters()) {
        for (int k = 0; k < 6; k++) {
          int i = p.offset() + rng.nextInt(p.size());
          float saved = data[i];
          data[i] = (float) (saved + eps);
          net.parameters().touch();
          s.copyFrom(start);
          net.forward(ws, x, b, t, s, false, null);
          double up = net.loss(ws, y);
          data[i] = (float) (saved - eps);
          net.parameters().touch();
          s.copyFrom(start);
          net.forward(ws, x, b, t, s, false, null);
          double down = net.loss(ws, y);
          data[i] = saved;
          net.parameters().touch();
          double fd = (up - down) / (2 * eps);
          // Same bound as the classifier check (its comment gives the measurement).
          assertTrue(Math.abs(fd - grad[i]) <= 1e-4 + 2e-2 * Math.abs(grad[i]), String.format(Locale.ROOT,
              "%s %s[%d]: finite difference %.6f, analytic %.6f", cell, p.name(), i - p.offset(), fd, grad[i]));
        }
      }
    }
  }

  @Test
  void constructor_bidirectional_isRefused() {
    NetConfig c = NetConfig.builder().cell(CellType.LSTM).vocabulary(5).classes(5).embed(2).hidden(2)
        .bidirectional(true).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LanguageModelNet(c));
    assertTrue(e.getMessage().contains("bidirectional"));
  }

  @Test
  void forward_stateForAnotherBatch_isRefused() {
    LanguageModelNet net = smallNet(CellType.GRU, 1, 5, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.forward(net.newWorkspace(), new int[6], 2, 3, net.newState(3), false, null));
    assertTrue(e.getMessage().contains("3 streams"), e.getMessage());
  }

  @Test
  void forward_tokenOutsideVocabulary_isRefused() {
    LanguageModelNet net = smallNet(CellType.GRU, 1, 5, 3);
    int[] tokens = {0, 1, 5};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.forward(net.newWorkspace(), tokens, 1, 3, net.newState(1), false, null));
    assertTrue(e.getMessage().contains("token id 5"), e.getMessage());
  }

  static LanguageModelNet smallNet(CellType cell, int layers, int vocabulary, int hidden) {
    LanguageModelNet net = new LanguageModelNet(NetConfig.builder().cell(cell).vocabulary(vocabulary)
        .classes(vocabulary).embed(6).hidden(hidden).layers(layers).build());
    net.initialize(TorchGenerator.seeded(3));
    return net;
  }

  static int[] randomTokens(Rng rng, int n, int v) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = rng.nextInt(v);
    }
    return a;
  }

  /** (T·B, V) time-major → (B, T, V) as PyTorch's batch_first output. */
  private static float[] batchMajor(float[] logits, int b, int t, int v) {
    float[] out = new float[b * t * v];
    for (int s = 0; s < t; s++) {
      for (int r = 0; r < b; r++) {
        System.arraycopy(logits, (s * b + r) * v, out, (r * t + s) * v, v);
      }
    }
    return out;
  }

  /** Validation and eval-lm take the loss without its gradient: the same bits as the training loss. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(CellType.class)
  void evaluationLoss_sameBitsAsLoss(CellType cell) {
    LanguageModelNet net = smallNet(cell, 2, 37, 19);
    int b = 3;
    int t = 9;
    int[] tokens = randomTokens(new Rng(21), b * t, net.vocabulary());
    int[] targets = randomTokens(new Rng(22), b * t, net.vocabulary());
    targets[4] = org.rnn4j.nn.SoftmaxCrossEntropy.IGNORE;
    LanguageModelNet.Workspace ws = net.newWorkspace();
    net.forward(ws, tokens, b, t, net.newState(b), false, null);
    double evaluation = net.evaluationLoss(ws, targets);
    assertEquals(Double.doubleToLongBits(net.loss(ws, targets)), Double.doubleToLongBits(evaluation), cell.id());
  }
}
