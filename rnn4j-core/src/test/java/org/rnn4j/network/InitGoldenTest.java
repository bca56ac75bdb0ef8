package org.rnn4j.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rnn4j.testing.Golden.assertClose;
import static org.rnn4j.testing.Golden.floats;

import org.junit.jupiter.api.Test;
import org.rnn4j.io.Safetensors;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.random.TorchGenerator;
import org.rnn4j.testing.Golden;

/**
 * The initial weights equal PyTorch's after the same seed: torch.manual_seed(s) then the modules
 * built in the order torch_agnews.py and torch_charlm.py build them (random_case in make_golden.py).
 */
class InitGoldenTest {
  private static final Safetensors.Contents F = Golden.load("random_draws");

  private static void assertInitEquals(String key, ParameterSet params) {
    int checked = 0;
    for (Parameter p : params.parameters()) {
      String name = "init." + key + "." + p.name();
      float[] expected = floats(F, name);
      if (p.name().startsWith("embedding.")) {
        // normal_ via PyTorch's AVX2 Cephes log/sincos: measured max |diff| 4.8e-7 (see TorchGeneratorTest).
        assertClose(name, expected, p.values(), 1e-6, 0);
      } else {
        assertArrayEquals(expected, p.values(), name + " (uniform_ draws are bit-identical)");
      }
      checked++;
    }
    assertEquals(F.tensors().keySet().stream().filter(n -> n.startsWith("init." + key + ".")).count(), checked,
        "every PyTorch parameter compared");
  }

  private static ClassifierNet classifier(CellType cell, int layers, boolean bi, int padding, long seed) {
    ClassifierNet net = new ClassifierNet(NetConfig.builder().cell(cell).vocabulary(50).embed(12).hidden(9)
        .layers(layers).bidirectional(bi).classes(4).paddingIndex(padding).build());
    net.initialize(TorchGenerator.seeded(seed));
    return net;
  }

  @Test
  void initialize_gru_equalsTorchManualSeed() {
    assertInitEquals("gru_l1", classifier(CellType.GRU, 1, false, -1, 5).parameters());
  }

  @Test
  void initialize_bidirectionalTwoLayerLstm_equalsTorchManualSeed() {
    assertInitEquals("lstm_l2_bi", classifier(CellType.LSTM, 2, true, -1, 5).parameters());
  }

  @Test
  void initialize_rnnWithPaddingRow_equalsTorchManualSeed() {
    ParameterSet p = classifier(CellType.RNN_TANH, 1, false, 1, 5).parameters();
    assertInitEquals("rnn_l1_pad", p);
    float[] row = java.util.Arrays.copyOfRange(p.require("embedding.weight").values(), 12, 24);
    assertArrayEquals(new float[12], row, "padding row zeroed after the draw, as nn.Embedding(padding_idx=1)");
  }

  @Test
  void initialize_languageModel_equalsTorchManualSeed() {
    LanguageModelNet lm = new LanguageModelNet(NetConfig.builder().cell(CellType.LSTM).vocabulary(41)
        .classes(41).embed(10).hidden(12).layers(2).build());
    lm.initialize(TorchGenerator.seeded(6));
    assertInitEquals("lm_lstm_l2", lm.parameters());
  }

  @Test
  void initialize_otherSeed_differs() {
    float[] a = classifier(CellType.GRU, 1, false, -1, 5).parameters().data();
    float[] b = classifier(CellType.GRU, 1, false, -1, 6).parameters().data();
    assertEquals(false, java.util.Arrays.equals(a, b));
  }
}
