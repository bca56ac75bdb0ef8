package org.rnn4j.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Pooling;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;

/** infer() may look the first layer's input projection up in a table; it must not change a bit. */
class InputProjectionTableTest {
  private static final int V = 40;
  private static final int B = 6;
  private static final int T = 9;

  private static ClassifierNet net(CellType cell, int layers, boolean bi, Pooling pooling) {
    ClassifierNet n = new ClassifierNet(NetConfig.builder().cell(cell).vocabulary(V).embed(20).hidden(17)
        .layers(layers).bidirectional(bi).pooling(pooling).classes(4).paddingIndex(1).build());
    n.initialize(TorchGenerator.seeded(3));
    return n;
  }

  private static int[] lengths() {
    return new int[] {9, 3, 7, 1, 9, 5};
  }

  private static int[] tokens(long seed) {
    Rng r = new Rng(seed);
    int[] t = new int[B * T];
    for (int i = 0; i < t.length; i++) {
      t[i] = r.nextInt(V);
    }
    return t;
  }

  @ParameterizedTest(name = "{0} layers={1} bi={2} {3}")
  @CsvSource({"LSTM,1,false,LAST", "LSTM,2,true,MEAN", "GRU,1,true,LAST", "GRU,2,false,MEAN",
      "RNN_TANH,1,false,MEAN", "RNN_RELU,2,true,LAST"})
  void infer_withTable_equalsForwardBitForBit(CellType cell, int layers, boolean bi, Pooling pooling) {
    ClassifierNet net = net(cell, layers, bi, pooling);
    ClassifierNet.Workspace ws = net.newWorkspace();
    // 34 tokens per call, V = 40: the first call computes the projection, the table serves the rest.
    for (long seed = 1; seed <= 4; seed++) {
      int[] tokens = tokens(seed);
      float[] expected = net.forward(net.newWorkspace(), tokens, lengths(), T, false, null).clone();
      float[] actual = net.infer(ws, tokens, lengths(), T);
      assertArrayEquals(expected, Arrays.copyOf(actual, expected.length), "batch " + seed);
    }
  }

  /**
   * Twelve sequences on two threads: each thread runs the look-up loop for its own ranks in the one-step
   * gate buffer. The bits must be the training forward's on the split calls and on the whole ones (the
   * warm-up of the timed split alternates), whichever thread wrote a row.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"LSTM", "GRU", "RNN_TANH"})
  void infer_ranksSplitAcrossThreads_equalsForwardBitForBit(CellType cell) {
    int b = 12;
    int[] lengths = {9, 3, 7, 1, 9, 5, 8, 9, 2, 6, 9, 4};
    ClassifierNet net = net(cell, 1, false, Pooling.MEAN);
    int before = org.rnn4j.math.Parallel.threads();
    try {
      org.rnn4j.math.Parallel.setThreads(2);
      ClassifierNet.Workspace ws = net.newWorkspace();
      for (long seed = 1; seed <= 6; seed++) {
        Rng r = new Rng(seed);
        int[] tokens = new int[b * T];
        for (int i = 0; i < tokens.length; i++) {
          tokens[i] = r.nextInt(V);
        }
        float[] expected = net.forward(net.newWorkspace(), tokens, lengths, T, false, null).clone();
        float[] actual = net.infer(ws, tokens, lengths, T);
        assertArrayEquals(expected, Arrays.copyOf(actual, expected.length), cell + ", batch " + seed);
      }
    } finally {
      org.rnn4j.math.Parallel.setThreads(before);
    }
  }

  /**
   * A bidirectional layer large enough that its split is not timed runs its two directions side by side
   * (RecurrentLayer.runPair) on two threads and one after the other on one; the look-up layer and the
   * layer above must give the same bits either way, and the bits of the training forward.
   */
  @Test
  void infer_bidirectionalDirectionsSideBySide_sameBitsOnOneAndTwoThreads() {
    int b = 8;
    int t = 64; // 325 tokens · 512 gate columns · 128 units: above RecurrentLayer.TIMED_SPLIT_MACS (16 Mi)
    ClassifierNet net = new ClassifierNet(NetConfig.builder().cell(CellType.LSTM).vocabulary(V).embed(24)
        .hidden(128).layers(2).bidirectional(true).pooling(Pooling.MEAN).classes(4).paddingIndex(1).build());
    net.initialize(TorchGenerator.seeded(5));
    int[] lengths = {64, 57, 1, 64, 40, 33, 2, 64};
    Rng r = new Rng(9);
    int[] tokens = new int[b * t];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = r.nextInt(V);
    }
    int before = org.rnn4j.math.Parallel.threads();
    try {
      org.rnn4j.math.Parallel.setThreads(1);
      float[] one = net.infer(net.newWorkspace(), tokens, lengths, t).clone();
      float[] forward = net.forward(net.newWorkspace(), tokens, lengths, t, false, null).clone();
      org.rnn4j.math.Parallel.setThreads(2);
      float[] two = net.infer(net.newWorkspace(), tokens, lengths, t).clone();
      float[] twoForward = net.forward(net.newWorkspace(), tokens, lengths, t, false, null).clone();
      assertArrayEquals(one, two, "infer, 1 against 2 threads");
      assertArrayEquals(forward, twoForward, "forward, 1 against 2 threads");
      assertArrayEquals(forward, Arrays.copyOf(two, forward.length), "infer against forward");
    } finally {
      org.rnn4j.math.Parallel.setThreads(before);
    }
  }

  @Test
  void infer_afterWeightsChange_usesTheNewWeights() {
    ClassifierNet net = net(CellType.LSTM, 1, false, Pooling.LAST);
    ClassifierNet.Workspace ws = net.newWorkspace();
    int[] tokens = tokens(5);
    float[] before = net.infer(ws, tokens, lengths(), T).clone();
    net.infer(ws, tokens, lengths(), T); // now through the table
    net.parameters().require("rnn.weight_ih_l0").data()[net.parameters().require("rnn.weight_ih_l0").offset()] += 0.5f;
    net.parameters().require("embedding.weight").data()[7 * 20] -= 1f;
    net.parameters().touch();
    float[] expected = net.forward(net.newWorkspace(), tokens, lengths(), T, false, null).clone();
    for (int call = 0; call < 3; call++) { // below the vocabulary's worth of tokens, then through a new table
      float[] after = net.infer(ws, tokens, lengths(), T);
      assertArrayEquals(expected, Arrays.copyOf(after, expected.length), "call " + call);
    }
    assertFalse(Arrays.equals(before, expected), "the change matters");
  }

  @Test
  void infer_thenBackward_isRefused() {
    ClassifierNet net = net(CellType.GRU, 1, false, Pooling.LAST);
    ClassifierNet.Workspace ws = net.newWorkspace();
    net.infer(ws, tokens(1), lengths(), T);
    net.infer(ws, tokens(1), lengths(), T); // 2 × 34 tokens ≥ V: through the table
    net.loss(ws, new int[] {0, 1, 2, 3, 0, 1});
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.backward(ws));
    assertEquals("backward after forwardTokens, which is inference-only", e.getMessage());
  }

  @Test
  void infer_tokenOutsideVocabulary_isRefusedAsInForward() {
    ClassifierNet net = net(CellType.LSTM, 1, false, Pooling.LAST);
    ClassifierNet.Workspace ws = net.newWorkspace();
    net.infer(ws, tokens(1), lengths(), T);
    net.infer(ws, tokens(1), lengths(), T); // table built
    int[] bad = tokens(2);
    bad[T + 1] = V;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.infer(ws, bad, lengths(), T));
    assertEquals("token id 40 at batch 1, step 1 is outside the vocabulary [0, 40)", e.getMessage());
  }

  @Test
  void infer_lookUpDisabled_stillEqual() {
    ClassifierNet net = net(CellType.LSTM, 2, true, Pooling.MEAN);
    net.lookUpInputProjection(false);
    ClassifierNet.Workspace ws = net.newWorkspace();
    int[] tokens = tokens(3);
    net.infer(ws, tokens, lengths(), T);
    net.loss(ws, new int[] {0, 1, 2, 3, 0, 1});
    net.backward(ws); // no table: the workspace keeps what backward needs
  }
}
