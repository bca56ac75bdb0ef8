package org.rnn4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnn4j.classify.Classifier;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Json;

/**
 * The fixtures of tools/keras/make_fixtures.py (Keras 3.15, JAX backend): each model imported from its
 * .keras archive and from its .h5 file predicts what Keras predicted on the same padded batches.
 */
class KerasImportTest {
  private static final Path FIXTURES = Path.of("src/test/resources/keras");

  @TempDir Path dir;

  /**
   * Keras's float32 kernels sum in other orders; the largest probability difference over these
   * fixtures was 6e-8; the bound, 1e-5, is checked. Keeping Keras's GRU gate order (z, r, h)
   * fails all four GRU cases.
   */
  @ParameterizedTest(name = "{0}.{1}")
  @CsvSource({"lstm_last,keras", "lstm_last,h5", "lstm_bi_mean,keras", "lstm_bi_mean,h5", "gru_last,keras",
      "gru_last,h5", "gru_bi_last,keras", "gru_bi_last,h5", "rnn_mean,keras", "rnn_mean,h5", "rnn_bi_last,keras",
      "rnn_bi_last,h5"})
  @SuppressWarnings("unchecked")
  void importClassifier_predictsWhatKerasPredicted(String name, String format) throws Exception {
    Path vocab = FIXTURES.resolve("vocab.txt");
    Classifier c = KerasImport.importClassifier(FIXTURES.resolve(name + "." + format), vocab, null, dir.resolve("m"));
    Map<String, Object> fx = Json.parseObject(Files.readString(FIXTURES.resolve(name + ".json")));
    List<String> words = Files.readAllLines(vocab, StandardCharsets.UTF_8);
    List<List<Number>> ids = (List<List<Number>>) fx.get("ids");
    List<List<Number>> expected = (List<List<Number>>) fx.get("output");
    boolean softmax = (Boolean) fx.get("softmax");
    for (int i = 0; i < ids.size(); i++) {
      List<String> text = new ArrayList<>();
      for (Number id : ids.get(i)) {
        if (id.intValue() != 0) { // Keras masks the padding id 0: the text is the other tokens
          text.add(words.get(id.intValue()));
        }
      }
      float[] got = c.predict(String.join(" ", text)).probabilities();
      double[] want = new double[got.length];
      double max = Double.NEGATIVE_INFINITY;
      double sum = 0;
      for (int k = 0; k < want.length; k++) {
        want[k] = expected.get(i).get(k).doubleValue();
        max = Math.max(max, want[k]);
      }
      if (!softmax) { // a linear Dense: Keras gave logits, rnn4j gives their softmax
        for (int k = 0; k < want.length; k++) {
          sum += want[k] = Math.exp(want[k] - max);
        }
        for (int k = 0; k < want.length; k++) {
          want[k] /= sum;
        }
      }
      for (int k = 0; k < want.length; k++) {
        assertEquals(want[k], got[k], 1e-5, name + "." + format + " row " + i + " class " + k);
      }
    }
  }

  @Test
  void importClassifier_vocabularyOfAnotherSize_namesTheFile() throws Exception {
    Path vocab = dir.resolve("vocab.txt");
    Files.writeString(vocab, "\n[UNK]\nw2\n");
    FormatException e = assertThrows(FormatException.class,
        () -> KerasImport.importClassifier(FIXTURES.resolve("gru_last.keras"), vocab, null, dir.resolve("m")));
    assertEquals(vocab + ": has 3 tokens, the Embedding has 24 rows", e.getMessage());
  }

  @Test
  void importClassifier_classesOfAnotherCount_namesTheArgument() {
    Exception e = assertThrows(IllegalArgumentException.class, () -> KerasImport.importClassifier(
        FIXTURES.resolve("gru_last.h5"), null, List.of("a", "b"), dir.resolve("m")));
    assertEquals("classes names 2 classes, the Dense layer has 3", e.getMessage());
  }

  @Test
  void importClassifier_notAKerasFile_isRefused() throws Exception {
    Path bogus = dir.resolve("x.keras");
    Files.write(bogus, new byte[] {1, 2, 3});
    FormatException e = assertThrows(FormatException.class,
        () -> KerasImport.importClassifier(bogus, null, null, dir.resolve("m")));
    assertTrue(e.getMessage().startsWith(bogus + ": not a Keras archive"), e.getMessage());
  }

  /** A copy of a fixture's archive whose config.json has {@code from} replaced by {@code to}. */
  private Path edited(String name, String from, String to) throws Exception {
    Path out = dir.resolve("edited-" + name + ".keras");
    try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(FIXTURES.resolve(name + ".keras")));
         var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(out))) {
      for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
        byte[] b = in.readAllBytes();
        if (e.getName().equals("config.json")) {
          String text = new String(b, StandardCharsets.UTF_8);
          assertTrue(text.contains(from), from + " in " + name);
          b = text.replace(from, to).getBytes(StandardCharsets.UTF_8);
        }
        zip.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
        zip.write(b);
        zip.closeEntry();
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}: {2}")
  @CsvSource(delimiter = '|', value = {
      "gru_last|\"reset_after\": true|\"reset_after\": false|layer 'gru_0' (GRU): reset_after=False",
      "lstm_last|\"stateful\": false|\"stateful\": true|layer 'lstm_0' (LSTM): stateful=True",
      "lstm_last|\"recurrent_activation\": \"sigmoid\"|\"recurrent_activation\": \"hard_sigmoid\"|"
          + "layer 'lstm_0' (LSTM): recurrent_activation 'hard_sigmoid'",
      "rnn_mean|\"GlobalAveragePooling1D\"|\"GlobalMaxPooling1D\"|layer 'mean' (GlobalMaxPooling1D): a layer rnn4j",
      "gru_last|\"mask_zero\": true|\"mask_zero\": false|layer 'embedding' (Embedding): mask_zero=False"})
  void importClassifier_whatRnn4jCannotReproduce_isRefusedNamingTheLayer(String name, String from, String to,
                                                                         String message) throws Exception {
    Path file = edited(name, from, to);
    FormatException e = assertThrows(FormatException.class,
        () -> KerasImport.importClassifier(file, null, null, dir.resolve("m")));
    assertTrue(e.getMessage().startsWith(file + ": " + message), e.getMessage());
  }
}
