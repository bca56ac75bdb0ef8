package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.rnn4j.network.ClassifierNet;
import org.rnn4j.network.NetConfig;

/** Each bad argument fails with an IllegalArgumentException that names it and its value. */
class BadArgumentsTest {
  private static String message(Executable e) {
    return assertThrows(IllegalArgumentException.class, e).getMessage();
  }

  private final ParameterSet params = new ParameterSet();
  private final RecurrentStack stack = new RecurrentStack(params, "rnn.", CellType.LSTM, 3, 4, 2, true, 0f);

  @Test
  void forwardPadded_inputOfWrongSize() {
    assertEquals("x must have B×T×I = 2×5×3 values, got 29",
        message(() -> stack.forwardPadded(stack.newCache(), new float[29], new int[] {5, 2}, 5, null, null, false, null)));
  }

  @Test
  void forwardPadded_lengthZero() {
    assertEquals("lengths[1] = 0 is outside 1..5",
        message(() -> stack.forwardPadded(stack.newCache(), new float[30], new int[] {5, 0}, 5, null, null, false, null)));
  }

  @Test
  void forwardPadded_lengthBeyondT() {
    assertEquals("lengths[0] = 6 is outside 1..5",
        message(() -> stack.forwardPadded(stack.newCache(), new float[30], new int[] {6, 2}, 5, null, null, false, null)));
  }

  @Test
  void forwardPadded_emptyBatch() {
    assertEquals("lengths must name at least one sequence",
        message(() -> stack.forwardPadded(stack.newCache(), new float[0], new int[0], 5, null, null, false, null)));
  }

  @Test
  void forwardPadded_nanInput() {
    float[] x = new float[30];
    x[(1 * 5 + 1) * 3 + 2] = Float.NaN;
    assertEquals("x holds a non-finite value NaN at batch 1, step 1, feature 2",
        message(() -> stack.forwardPadded(stack.newCache(), x, new int[] {5, 2}, 5, null, null, false, null)));
  }

  @Test
  void forwardPadded_infiniteInitialState() {
    float[] h0 = new float[4 * 2 * 4];
    h0[7] = Float.POSITIVE_INFINITY;
    assertEquals("h0 holds a non-finite value Infinity at index 7",
        message(() -> stack.forwardPadded(stack.newCache(), new float[30], new int[] {5, 2}, 5, h0, null, false, null)));
  }

  @Test
  void forwardPadded_initialStateOfWrongShape() {
    assertEquals("h0 must have layers·directions×B×H = 4×2×4 = 32 values, got 8",
        message(() -> stack.forwardPadded(stack.newCache(), new float[30], new int[] {5, 2}, 5, new float[8], null, false, null)));
  }

  @Test
  void stack_hiddenSizeZero() {
    assertEquals("hidden size must be >= 1, got 0",
        message(() -> new RecurrentStack(new ParameterSet(), "rnn.", CellType.GRU, 3, 0, 1, false, 0f)));
  }

  @Test
  void stack_negativeLayers() {
    assertEquals("layers must be >= 1, got -1",
        message(() -> new RecurrentStack(new ParameterSet(), "rnn.", CellType.GRU, 3, 4, -1, false, 0f)));
  }

  @Test
  void stack_dropoutOfOne() {
    assertEquals("dropout must be in [0, 1), got 1.0",
        message(() -> new RecurrentStack(new ParameterSet(), "rnn.", CellType.GRU, 3, 4, 2, false, 1f)));
  }

  @Test
  void stack_dropoutWithoutRng() {
    RecurrentStack s = new RecurrentStack(new ParameterSet(), "rnn.", CellType.GRU, 3, 4, 2, false, 0.5f);
    assertEquals("rng must be given when training with dropout",
        message(() -> s.forwardPadded(s.newCache(), new float[30], new int[] {5, 2}, 5, null, null, true, null)));
  }

  @Test
  void cellType_unknown() {
    assertEquals("unknown cell type 'transformer' (allowed: rnn, rnn_tanh, rnn_relu, lstm, gru)",
        message(() -> CellType.parse("transformer")));
  }

  @Test
  void pooling_unknown() {
    assertEquals("unknown pooling 'max' (allowed: last, mean)", message(() -> Pooling.parse("max")));
  }

  private static ClassifierNet net() {
    return new ClassifierNet(NetConfig.builder().vocabulary(10).embed(3).hidden(4).classes(3).build());
  }

  @Test
  void classifier_tokenIdOutOfRange() {
    ClassifierNet net = net();
    int[] tokens = {1, 2, 3, 4, 5, 10};
    assertEquals("token id 10 at batch 1, step 2 is outside the vocabulary [0, 10)",
        message(() -> net.forward(net.newWorkspace(), tokens, new int[] {3, 3}, 3, false, null)));
  }

  @Test
  void classifier_negativeTokenId() {
    ClassifierNet net = net();
    int[] tokens = {1, -2, 3};
    assertEquals("token id -2 at batch 0, step 1 is outside the vocabulary [0, 10)",
        message(() -> net.forward(net.newWorkspace(), tokens, new int[] {3}, 3, false, null)));
  }

  @Test
  void classifier_labelOutOfRange() {
    ClassifierNet net = net();
    ClassifierNet.Workspace ws = net.newWorkspace();
    net.forward(ws, new int[] {1, 2, 3, 4}, new int[] {2, 2}, 2, false, null);
    assertEquals("target 3 of row 1 is outside [0, 3)", message(() -> net.loss(ws, new int[] {0, 3})));
  }

  @Test
  void config_vocabularyZero() {
    assertEquals("vocabulary must be >= 1, got 0",
        message(() -> NetConfig.builder().vocabulary(0).classes(2).build()));
  }

  @Test
  void config_paddingIndexOutsideVocabulary() {
    assertEquals("paddingIndex must be -1 or in 0..9, got 10",
        message(() -> NetConfig.builder().vocabulary(10).classes(2).paddingIndex(10).build()));
  }

  @Test
  void parameter_setWithWrongCount() {
    Parameter p = params.require("rnn.weight_ih_l0");
    assertEquals("parameter rnn.weight_ih_l0 has 48 elements, got 3", message(() -> p.set(new float[3])));
  }

  @Test
  void parameterSet_unknownName() {
    assertEquals("no parameter named rnn.weight_ih_l9", message(() -> params.require("rnn.weight_ih_l9")));
  }
}
