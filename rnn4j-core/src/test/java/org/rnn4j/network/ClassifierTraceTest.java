package org.rnn4j.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.Pooling;
import org.rnn4j.nn.SoftmaxCrossEntropy;
import org.rnn4j.random.TorchGenerator;

/** ClassifierNet.trace: the numbers behind an explanation, checked against inference and finite differences. */
class ClassifierTraceTest {
  private static final int V = 30;
  private static final int E = 12;
  private static final int[] IDS = {4, 17, 9, 2, 25, 11, 6};

  private static ClassifierNet net(CellType cell, int layers, boolean bi, Pooling pooling) {
    ClassifierNet n = new ClassifierNet(NetConfig.builder().cell(cell).vocabulary(V).embed(E).hidden(9)
        .layers(layers).bidirectional(bi).pooling(pooling).classes(3).paddingIndex(1).build());
    n.initialize(TorchGenerator.seeded(5));
    return n;
  }

  private static float[] probabilities(ClassifierNet net, int[] ids) {
    float[] logits = net.infer(net.newWorkspace(), ids, new int[] {ids.length}, ids.length);
    float[] p = new float[3];
    SoftmaxCrossEntropy.softmax(logits, 0, 3, p, 0);
    return p;
  }

  @ParameterizedTest(name = "{0} layers={1} bi={2} {3}")
  @CsvSource({"LSTM,1,false,LAST", "LSTM,2,true,MEAN", "GRU,1,true,LAST", "GRU,2,false,MEAN",
      "RNN_TANH,1,true,MEAN", "RNN_RELU,2,false,LAST"})
  void trace_probabilitiesAreInferenceBitForBit(CellType cell, int layers, boolean bi, Pooling pooling) {
    ClassifierNet net = net(cell, layers, bi, pooling);
    ClassifierNet.Trace t = net.trace(IDS, 0);
    assertArrayEquals(probabilities(net, IDS), t.probabilities());
    assertEquals(layers, t.layerOutputs().length);
    assertEquals(IDS.length * 9 * (bi ? 2 : 1), t.layerOutputs()[0].length);
    assertEquals(bi ? 2 : 1, t.gates()[0].length);
    assertEquals(IDS.length * 9 * cell.gates(), t.gates()[layers - 1][0].length);
  }

  /**
   * Scaling token i's embedding by (1 + ε) changes log p by ε·(gradient · embedding): the central
   * difference with ε = 1e-2 in float agreed with the trace to within 6e-6 (largest over the cases
   * below, on values of 0.002-0.08); 5e-5 leaves room for rounding and the O(ε²) term.
   */
  @ParameterizedTest(name = "{0} layers={1} bi={2} {3}")
  @CsvSource({"LSTM,1,false,LAST", "LSTM,2,true,MEAN", "GRU,1,true,LAST", "GRU,2,false,MEAN",
      "RNN_TANH,1,true,MEAN"})
  void trace_gradientTimesInputMatchesFiniteDifferences(CellType cell, int layers, boolean bi, Pooling pooling) {
    ClassifierNet net = net(cell, layers, bi, pooling);
    int target = 2;
    ClassifierNet.Trace t = net.trace(IDS, target);
    Parameter w = net.parameters().require("embedding.weight");
    double eps = 1e-2;
    for (int i = 0; i < IDS.length; i++) {
      float[] row = Arrays.copyOfRange(w.data(), w.offset() + IDS[i] * E, w.offset() + (IDS[i] + 1) * E);
      double[] lp = new double[2];
      for (int s = 0; s < 2; s++) {
        double f = s == 0 ? 1 + eps : 1 - eps;
        for (int j = 0; j < E; j++) {
          w.data()[w.offset() + IDS[i] * E + j] = (float) (row[j] * f);
        }
        net.parameters().touch();
        lp[s] = Math.log(probabilities(net, IDS)[target]);
      }
      System.arraycopy(row, 0, w.data(), w.offset() + IDS[i] * E, E);
      net.parameters().touch();
      double fd = (lp[0] - lp[1]) / (2 * eps);
      double got = t.gradientTimesInput()[i];
      assertEquals(fd, got, 5e-5, "token " + i);
    }
  }

  /** GRU: h_t = (1 - z)·n + z·h_prev, where the reverse direction's h_prev is the next token's. */
  @Test
  void trace_gatesAndStatesLineUpWithTheInputTokens() {
    ClassifierNet net = net(CellType.GRU, 1, true, Pooling.MEAN);
    ClassifierNet.Trace t = net.trace(IDS, 1);
    int h = 9;
    float[] out = t.layerOutputs()[0];
    for (int d = 0; d < 2; d++) {
      float[] g = t.gates()[0][d];
      for (int s = 0; s < IDS.length; s++) {
        int prev = d == 0 ? s - 1 : s + 1;
        for (int j = 0; j < h; j++) {
          float z = g[s * 3 * h + h + j];
          float n = g[s * 3 * h + 2 * h + j];
          float hp = prev < 0 || prev >= IDS.length ? 0f : out[prev * 2 * h + d * h + j];
          assertEquals((1f - z) * n + z * hp, out[s * 2 * h + d * h + j], 1e-6, "direction " + d + " step " + s);
        }
      }
    }
  }

  @Test
  void trace_leavesNoGradientBehind() {
    ClassifierNet net = net(CellType.LSTM, 2, true, Pooling.LAST);
    net.trace(IDS, 1);
    for (float v : net.parameters().grad()) {
      assertEquals(0f, v);
    }
  }

  @Test
  void trace_badArguments_areRefused() {
    ClassifierNet net = net(CellType.LSTM, 1, false, Pooling.LAST);
    assertThrows(IllegalArgumentException.class, () -> net.trace(IDS, 3));
    assertThrows(IllegalArgumentException.class, () -> net.trace(new int[0], 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.trace(new int[] {1, V}, 0));
    assertTrue(e.getMessage().contains("outside the vocabulary"), e.getMessage());
  }
}
