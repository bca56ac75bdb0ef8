package org.rnn4j.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.rnn4j.testing.Golden.assertClose;
import static org.rnn4j.testing.Golden.floats;
import static org.rnn4j.testing.Golden.ints;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.io.Safetensors;
import org.rnn4j.nn.Attention;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.SequenceLayout;
import org.rnn4j.testing.Golden;

/**
 * The encoder-decoder against PyTorch (tools/golden/make_seq2seq_golden.py): teacher-forced logits,
 * the loss and every parameter gradient, for each attention kind × {GRU, LSTM} × {1 layer, 2 layers,
 * bidirectional encoder}, sources and targets of mixed lengths including 1. Measured max difference
 * 1.2e-7 over logits and gradients; tolerance 1e-6 absolute + 1e-5 relative, as for classifiers.
 */
class Seq2SeqNetGoldenTest {
  static Stream<String> cases() {
    Stream.Builder<String> names = Stream.builder();
    for (String cell : new String[] {"gru", "lstm"}) {
      for (String attention : new String[] {"additive", "dot", "general", "none"}) {
        for (String shape : new String[] {"l1", "l2", "bi"}) {
          if (!(attention.equals("dot") && shape.equals("bi"))) {
            names.add("seq2seq_" + cell + "_" + attention + "_" + shape);
          }
        }
      }
    }
    return Stream.concat(names.build(), Stream.of("seq2seq_gru_additive_smoothing", "seq2seq_lstm_general_bi2"));
  }

  static Seq2SeqNet build(Safetensors.Contents f) {
    Map<String, String> m = f.metadata();
    Seq2SeqConfig config = new Seq2SeqConfig(CellType.parse(m.get("cell")),
        Integer.parseInt(m.get("source_vocabulary")), Integer.parseInt(m.get("target_vocabulary")),
        Integer.parseInt(m.get("embed")), Integer.parseInt(m.get("hidden")), Integer.parseInt(m.get("layers")),
        Boolean.parseBoolean(m.get("bidirectional")), Attention.Kind.parse(m.get("attention")), 0f);
    Seq2SeqNet net = new Seq2SeqNet(config);
    for (Parameter p : net.parameters().parameters()) {
      Safetensors.Tensor t = f.get(p.name());
      assertNotNull(t, "fixture has no " + p.name());
      p.set(t.toFloats());
    }
    assertEquals(net.parameters().parameters().size() * 2 + 7, f.tensors().size(), "every tensor is accounted for");
    return net;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forwardLossBackward_matchPyTorch(String name) {
    Safetensors.Contents f = Golden.load(name);
    Seq2SeqNet net = build(f);
    int[] src = ints(f, "src");
    int[] srcLen = ints(f, "src_len");
    int[] tgtIn = ints(f, "tgt_in");
    int[] tgtLen = ints(f, "tgt_len");
    int b = srcLen.length;
    int s = src.length / b;
    int t = tgtIn.length / b;
    Seq2SeqNet.Workspace ws = net.newWorkspace();
    float[] logits = net.forward(ws, src, srcLen, s, tgtIn, tgtLen, t, false, null);
    int v = net.config().targetVocabulary();
    SequenceLayout layout = ws.targetLayout();
    float[] expected = floats(f, "logits");
    float[] want = new float[layout.tokens() * v];
    for (int q = 0; q < layout.tokens(); q++) {
      int[] bt = layout.locate(q);
      System.arraycopy(expected, (bt[0] * t + bt[1]) * v, want, q * v, v);
    }
    assertClose("logits", want, java.util.Arrays.copyOf(logits, want.length), 1e-6, 1e-5);
    float smoothing = Float.parseFloat(f.metadata().get("label_smoothing"));
    Seq2SeqNet.Loss loss = net.loss(ws, ints(f, "tgt_out"), smoothing);
    assertEquals(floats(f, "loss")[0], loss.mean(), 1e-6, "loss");
    net.backward(ws);
    for (Parameter p : net.parameters().parameters()) {
      assertClose("grad." + p.name(), floats(f, "grad." + p.name()), p.gradient(), 1e-6, 1e-5);
    }
  }
}
