package org.rnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.classify.Classifier;
import org.rnn4j.network.ClassifierNet;
import org.rnn4j.network.LanguageModelNet;
import org.rnn4j.network.NetConfig;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Pooling;
import org.rnn4j.nn.SoftmaxCrossEntropy;
import org.rnn4j.random.TorchGenerator;

/** The exported graph run by ONNX Runtime itself, against rnn4j's own inference. */
class OnnxExportTest {
  private static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();
  /** The format-v1 model directories committed with rnn4j-tasks' tests. */
  private static final Path FIXTURES = Path.of("../rnn4j-tasks/src/test/resources/format-v1");

  @TempDir Path dir;

  /** Logits and probabilities (B, K) from ONNX Runtime for padded ids (B, T) and lengths. */
  static float[][][] run(byte[] model, long[] ids, long[] lengths, int t) throws Exception {
    int b = lengths.length;
    try (OrtSession s = ORT.createSession(model, new OrtSession.SessionOptions());
         OnnxTensor x = OnnxTensor.createTensor(ORT, LongBuffer.wrap(ids), new long[] {b, t});
         OnnxTensor len = OnnxTensor.createTensor(ORT, LongBuffer.wrap(lengths), new long[] {b});
         OrtSession.Result r = s.run(Map.of("ids", x, "lengths", len))) {
      return new float[][][] {(float[][]) r.get("logits").get().getValue(),
          (float[][]) r.get("probabilities").get().getValue()};
    }
  }

  /**
   * Random shapes, lengths (1 among them) and batch sizes, for every cell, depth, direction and
   * pooling. ONNX Runtime's float kernels sum in other orders than rnn4j's: the largest logit
   * difference over these cases was 1.8e-7 (ONNX Runtime 1.23.2); the bound, 1e-5, is checked.
   * Swapping the GRU gate blocks back to PyTorch's order fails every GRU case.
   */
  @ParameterizedTest(name = "{0} layers={1} bi={2} {3}")
  @CsvSource({"LSTM,1,false,LAST", "LSTM,2,true,MEAN", "LSTM,1,true,LAST", "GRU,1,false,MEAN", "GRU,2,true,LAST",
      "GRU,1,true,MEAN", "RNN_TANH,1,true,LAST", "RNN_TANH,2,false,MEAN", "RNN_RELU,2,true,MEAN",
      "RNN_RELU,1,false,LAST"})
  void export_onnxRuntimeAgreesWithRnn4j(CellType cell, int layers, boolean bi, Pooling pooling) throws Exception {
    Random r = new Random(cell.ordinal() * 31L + layers * 7 + (bi ? 3 : 0) + pooling.ordinal());
    int v = 50;
    NetConfig cfg = NetConfig.builder().cell(cell).vocabulary(v).embed(6 + r.nextInt(6)).hidden(5 + r.nextInt(8))
        .layers(layers).bidirectional(bi).pooling(pooling).classes(3 + r.nextInt(3)).paddingIndex(1).build();
    ClassifierNet net = new ClassifierNet(cfg);
    net.initialize(TorchGenerator.seeded(r.nextInt(1000)));
    byte[] model = Onnx.classifier(cfg, net.parameters(), Onnx.DEFAULT_OPSET, Map.of());
    double worst = 0;
    for (int batch : new int[] {1, 3, 7}) {
      int t = 1 + r.nextInt(12);
      long[] lengths = new long[batch];
      int[] lens = new int[batch];
      long[] ids = new long[batch * t];
      int[] tokens = new int[batch * t];
      for (int i = 0; i < batch; i++) {
        lens[i] = i == 0 ? 1 : 1 + r.nextInt(t);
        lengths[i] = lens[i];
        for (int j = 0; j < t; j++) {
          tokens[i * t + j] = j < lens[i] ? r.nextInt(v) : 1; // padding after each length
          ids[i * t + j] = tokens[i * t + j];
        }
      }
      float[] expected = net.infer(net.newWorkspace(), tokens, lens, t);
      float[][][] got = run(model, ids, lengths, t);
      int k = cfg.classes();
      float[] p = new float[k];
      for (int i = 0; i < batch; i++) {
        SoftmaxCrossEntropy.softmax(expected, i * k, k, p, 0);
        for (int c = 0; c < k; c++) {
          worst = Math.max(worst, Math.abs(expected[i * k + c] - got[0][i][c]));
          assertEquals(expected[i * k + c], got[0][i][c], 1e-5, "logit batch " + batch + " row " + i + " class " + c);
          assertEquals(p[c], got[1][i][c], 1e-5, "probability batch " + batch + " row " + i + " class " + c);
        }
      }
    }
    assertTrue(worst < 1e-5);
  }

  /**
   * A language model's window with its state in and out, against LanguageModelNet.forward from the
   * same state; a second window fed the first's h_n (and c_n) checks that the state carries on.
   */
  @ParameterizedTest(name = "{0} layers={1}")
  @CsvSource({"LSTM,1", "LSTM,2", "GRU,1", "GRU,2", "RNN_TANH,2", "RNN_RELU,1"})
  void export_languageModel_onnxRuntimeAgreesWithRnn4j(CellType cell, int layers) throws Exception {
    Random r = new Random(cell.ordinal() * 13L + layers);
    int v = 40;
    int h = 7 + r.nextInt(6);
    NetConfig cfg = NetConfig.builder().cell(cell).vocabulary(v).embed(5 + r.nextInt(5)).hidden(h).layers(layers)
        .classes(v).paddingIndex(-1).build();
    LanguageModelNet net = new LanguageModelNet(cfg);
    net.initialize(TorchGenerator.seeded(r.nextInt(100)));
    byte[] model = Onnx.languageModel(cfg, net.parameters(), Onnx.DEFAULT_OPSET, Map.of());
    int b = 3;
    LanguageModelNet.State state = net.newState(b);
    float[] h0 = state.hidden();
    for (int i = 0; i < h0.length; i++) {
      h0[i] = (float) r.nextGaussian() * 0.5f;
    }
    if (state.cell() != null) {
      for (int i = 0; i < state.cell().length; i++) {
        state.cell()[i] = (float) r.nextGaussian() * 0.5f;
      }
    }
    float[] hIn = state.hidden().clone();
    float[] cIn = state.cell() == null ? null : state.cell().clone();
    try (OrtSession s = ORT.createSession(model, new OrtSession.SessionOptions())) {
      for (int window = 0; window < 2; window++) {
        int t = 1 + r.nextInt(6);
        int[] tokens = new int[b * t];
        long[] ids = new long[b * t];
        for (int i = 0; i < tokens.length; i++) {
          tokens[i] = r.nextInt(v);
          ids[i] = tokens[i];
        }
        float[] expected = net.forward(net.newWorkspace(), tokens, b, t, state, false, null); // (T·B, V)
        Map<String, OnnxTensor> in = new java.util.HashMap<>();
        in.put("ids", OnnxTensor.createTensor(ORT, LongBuffer.wrap(ids), new long[] {b, t}));
        in.put("h0", OnnxTensor.createTensor(ORT, java.nio.FloatBuffer.wrap(hIn), new long[] {layers, b, h}));
        if (cIn != null) {
          in.put("c0", OnnxTensor.createTensor(ORT, java.nio.FloatBuffer.wrap(cIn), new long[] {layers, b, h}));
        }
        try (OrtSession.Result res = s.run(in)) {
          float[][][] logits = (float[][][]) res.get("logits").get().getValue();
          for (int step = 0; step < t; step++) {
            for (int i = 0; i < b; i++) {
              for (int k = 0; k < v; k++) {
                assertEquals(expected[(step * b + i) * v + k], logits[i][step][k], 1e-5,
                    "window " + window + " step " + step + " stream " + i);
              }
            }
          }
          hIn = flat((float[][][]) res.get("h_n").get().getValue());
          assertArrayClose(state.hidden(), hIn, "h_n");
          if (cIn != null) {
            cIn = flat((float[][][]) res.get("c_n").get().getValue());
            assertArrayClose(state.cell(), cIn, "c_n");
          }
        } finally {
          in.values().forEach(OnnxTensor::close);
        }
      }
    }
  }

  private static float[] flat(float[][][] a) {
    int n = a.length * a[0].length * a[0][0].length;
    float[] out = new float[n];
    int k = 0;
    for (float[][] x : a) {
      for (float[] y : x) {
        for (float z : y) {
          out[k++] = z;
        }
      }
    }
    return out;
  }

  private static void assertArrayClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5, what + "[" + i + "]");
    }
  }

  @Test
  void export_modelDirectory_carriesTokenizerAndClassesInMetadata() throws Exception {
    Path model = FIXTURES.resolve("classifier");
    Path out = dir.resolve("model.onnx");
    Onnx.export(model, out, 17);
    try (OrtSession s = ORT.createSession(Files.readAllBytes(out), new OrtSession.SessionOptions())) {
      Map<String, String> meta = s.getMetadata().getCustomMetadata();
      assertEquals("[\"alpha\",\"beta\",\"delta\",\"gamma\"]", meta.get("classes"));
      assertEquals("basic_english", meta.get("tokenizer"));
      assertEquals(64, meta.get("vocabulary_sha256").length());
      assertEquals("rnn4j", s.getMetadata().getProducerName());
    }
    Classifier c = Classifier.load(model);
    String text = "filler3 alphaword1 filler5";
    int[] ids = c.encode(text);
    long[] longs = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      longs[i] = ids[i];
    }
    float[][][] got = run(Files.readAllBytes(out), longs, new long[] {ids.length}, ids.length);
    float[] expected = c.predict(text).probabilities();
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], got[1][0][i], 1e-6);
    }
  }

  @Test
  void export_opsetOutOfRange_namesIt() {
    NetConfig cfg = NetConfig.builder().vocabulary(10).embed(4).hidden(4).classes(2).build();
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> Onnx.classifier(cfg, new ClassifierNet(cfg).parameters(), 9, Map.of()));
    assertEquals("opset must be in 14..21, got 9", e.getMessage());
  }

  @Test
  void export_languageModelDirectory_writesStateInputsAndOutputs() throws Exception {
    Path out = dir.resolve("lm.onnx");
    Onnx.export(FIXTURES.resolve("lm"), out, 17);
    try (OrtSession s = ORT.createSession(Files.readAllBytes(out), new OrtSession.SessionOptions())) {
      assertEquals(java.util.Set.of("ids", "h0", "c0"), s.getInputNames());
      assertEquals(java.util.Set.of("logits", "h_n", "c_n"), s.getOutputNames());
      assertEquals("language_model", s.getMetadata().getCustomMetadata().get("rnn4j_task"));
    }
  }

  @Test
  void export_notAModelDirectory_namesTheFile() {
    Exception e = assertThrows(Exception.class, () -> Onnx.export(dir.resolve("none"), dir.resolve("x.onnx"), 17));
    assertTrue(e.getMessage().contains("none"), e.getMessage());
  }
}
