package org.rnn4j.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.rnn4j.testing.Golden.assertClose;
import static org.rnn4j.testing.Golden.floats;
import static org.rnn4j.testing.Golden.ints;

import java.util.List;
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
 * bidirectional encoder}, sources and targets of mixed lengths including 1, plus label smoothing, a
 * two-layer bidirectional LSTM and tied output and target embeddings. Measured max difference
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
    return Stream.concat(names.build(), Stream.of("seq2seq_gru_additive_smoothing", "seq2seq_lstm_general_bi2",
        "seq2seq_gru_additive_tied"));
  }

  static Seq2SeqNet build(Safetensors.Contents f) {
    Map<String, String> m = f.metadata();
    Seq2SeqConfig config = new Seq2SeqConfig(CellType.parse(m.get("cell")),
        Integer.parseInt(m.get("source_vocabulary")), Integer.parseInt(m.get("target_vocabulary")),
        Integer.parseInt(m.get("embed")), Integer.parseInt(m.get("hidden")), Integer.parseInt(m.get("layers")),
        Boolean.parseBoolean(m.get("bidirectional")), Attention.Kind.parse(m.get("attention")), 0f,
        Boolean.parseBoolean(m.get("tied_embeddings")));
    Seq2SeqNet net = new Seq2SeqNet(config);
    for (Parameter p : net.parameters().parameters()) {
      Safetensors.Tensor t = f.get(p.name());
      assertNotNull(t, "fixture has no " + p.name());
      p.set(t.toFloats());
    }
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

  /**
   * Greedy and beam search (K = 3, 5; α = 0, 0.6, 1) on a small model PyTorch trained to reverse
   * sequences, against a plain one-sentence beam search in the fixture script written to the same
   * definition: the same tokens, and scores within 1e-5 (read as float; sums of a dozen log-probabilities whose
   * logits differ from PyTorch's by about 1e-7).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("decodingCases")
  void beamSearch_matchesTheReferenceSearch(String name) {
    Safetensors.Contents f = Golden.load(name);
    Seq2SeqNet net = build(f);
    int[] src = ints(f, "src");
    int[] len = ints(f, "src_len");
    int b = len.length;
    int s = src.length / b;
    int[] max = new int[b];
    for (int i = 0; i < b; i++) {
      max[i] = 2 * len[i] + 10;
    }
    for (String tag : new String[] {"beam1_a0.0", "beam3_a0.0", "beam3_a0.6", "beam5_a1.0"}) {
      int k = Integer.parseInt(tag.substring(4, 5));
      float alpha = Float.parseFloat(tag.substring(7));
      List<BeamSearch.Hypothesis> ours = k == 1 ? BeamSearch.greedy(net, src, len, s, 2, 3, max)
          : BeamSearch.beam(net, src, len, s, 2, 3, max, k, alpha);
      int[] tokens = ints(f, tag + ".tokens");
      long[] finished = f.get(tag + ".finished").toLongs();
      float[] scores = floats(f, tag + ".score"); // float64 in the file; float keeps 7 digits, enough here
      int width = tokens.length / b;
      for (int i = 0; i < b; i++) {
        int n = 0;
        while (n < width && tokens[i * width + n] >= 0) {
          n++;
        }
        assertArrayEquals(java.util.Arrays.copyOfRange(tokens, i * width, i * width + n), ours.get(i).tokens(),
            tag + " sentence " + i);
        assertEquals(finished[i] == 1, ours.get(i).finished(), tag + " sentence " + i);
        assertEquals(scores[i], ours.get(i).score(), 1e-5, tag + " score of sentence " + i);
      }
    }
  }

  static Stream<String> decodingCases() {
    return Stream.of("seq2seq_decoding_gru_additive", "seq2seq_decoding_lstm_general");
  }
}
