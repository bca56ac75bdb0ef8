package org.rnn4j.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Json;
import org.rnn4j.io.Safetensors;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Pooling;

/**
 * TorchImport on the committed PyTorch export (a 2-layer bidirectional GRU with mean pooling, written
 * by tools/pytorch/export_classifier.py): the Java import predicts what PyTorch predicted.
 */
class TorchImportTest {
  static Path fixture;
  static List<String> classes;
  @TempDir Path dir;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void find() throws Exception {
    fixture = Path.of(TorchImportTest.class.getResource("/pytorch_export/config.json").toURI()).getParent();
    classes = (List<String>) Json.parseObject(Files.readString(fixture.resolve("config.json"))).get("classes");
  }

  private TorchImport gru(Path stateDict, Map<String, String> rename) {
    return new TorchImport(stateDict, fixture.resolve("vocab.txt"), classes, CellType.GRU, Pooling.MEAN,
        "basic_english", 0, rename);
  }

  @Test
  void writeTo_predictsWhatPyTorchPredicted() throws Exception {
    Classifier c = gru(fixture.resolve("model.safetensors"), Map.of()).writeTo(dir.resolve("m"));
    List<String> texts = Files.readAllLines(fixture.resolve("texts.txt"), StandardCharsets.UTF_8);
    List<String> expected = Files.readAllLines(fixture.resolve("expected.jsonl"), StandardCharsets.UTF_8);
    Classifier python = Classifier.load(fixture);
    for (int i = 0; i < texts.size(); i++) {
      Prediction p = c.predict(texts.get(i));
      assertArrayEquals(python.predict(texts.get(i)).probabilities(), p.probabilities(), "the Python export's bits");
      Map<String, Object> e = Json.parseObject(expected.get(i));
      assertEquals(e.get("label"), p.label());
      for (Map.Entry<?, ?> q : ((Map<?, ?>) e.get("probabilities")).entrySet()) {
        assertEquals(((Number) q.getValue()).doubleValue(), p.probability((String) q.getKey()), 1e-6);
      }
    }
  }

  @Test
  void writeTo_renamedModules_areMapped() throws Exception {
    List<Safetensors.Tensor> renamed = new ArrayList<>();
    for (Safetensors.Tensor t : Safetensors.read(fixture.resolve("model.safetensors")).tensors().values()) {
      String name = t.name().startsWith("embedding.") ? "emb." + t.name().substring(10) : t.name();
      renamed.add(Safetensors.Tensor.ofFloats(name, t.toFloats(), t.shape()));
    }
    Path sd = dir.resolve("renamed.safetensors");
    Safetensors.write(sd, renamed, Map.of());
    FormatException e = assertThrows(FormatException.class, () -> gru(sd, Map.of()).writeTo(dir.resolve("a")));
    assertTrue(e.getMessage().contains("has no embedding.weight (rename modules"), e.getMessage());
    Classifier c = gru(sd, Map.of("emb", "embedding")).writeTo(dir.resolve("b"));
    assertEquals(Classifier.load(fixture).predict("oil prices rise").toJson(), c.predict("oil prices rise").toJson());
  }

  @Test
  void writeTo_wrongCell_namesTheTensor() {
    TorchImport lstm = new TorchImport(fixture.resolve("model.safetensors"), fixture.resolve("vocab.txt"), classes,
        CellType.LSTM, Pooling.MEAN, "basic_english", 0, Map.of());
    FormatException e = assertThrows(FormatException.class, () -> lstm.writeTo(dir.resolve("m")));
    assertTrue(e.getMessage().contains("rnn.weight_hh_l0 is 18×6, which is not a lstm layer"), e.getMessage());
  }

  @Test
  void writeTo_vocabularyOfAnotherSize_namesTheFile() throws Exception {
    Path vocab = dir.resolve("short.txt");
    Files.writeString(vocab, "<unk>\n<pad>\nthe\n");
    TorchImport t = new TorchImport(fixture.resolve("model.safetensors"), vocab, classes, CellType.GRU, Pooling.MEAN,
        "basic_english", 0, Map.of());
    FormatException e = assertThrows(FormatException.class, () -> t.writeTo(dir.resolve("m")));
    assertTrue(e.getMessage().startsWith(vocab + ": has 3 tokens but embedding.weight"), e.getMessage());
  }

  @Test
  void writeTo_oneClass_isRefused() {
    TorchImport t = new TorchImport(fixture.resolve("model.safetensors"), fixture.resolve("vocab.txt"),
        List.of("only"), CellType.GRU, Pooling.MEAN, "basic_english", 0, Map.of());
    assertEquals("classes must name at least 2 classes",
        assertThrows(InvalidSettingException.class, () -> t.writeTo(dir.resolve("m"))).getMessage());
  }
}
