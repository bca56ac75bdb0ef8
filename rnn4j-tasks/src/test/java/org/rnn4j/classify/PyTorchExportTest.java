package org.rnn4j.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.io.Json;

/**
 * A model directory written by tools/pytorch/export_classifier.py from a PyTorch 2-layer
 * bidirectional GRU with mean pooling (trained 100 batches on AG News, vocabulary cut to 400)
 * predicts what PyTorch predicted. Measured max difference 3e-8; tolerance 1e-6.
 */
class PyTorchExportTest {
  @Test
  void exportedModel_predictsWhatPyTorchPredicted() throws Exception {
    Path dir = Path.of(getClass().getResource("/pytorch_export/config.json").toURI()).getParent();
    Classifier c = Classifier.load(dir);
    List<String> texts = Files.readAllLines(dir.resolve("texts.txt"), StandardCharsets.UTF_8);
    List<String> expected = Files.readAllLines(dir.resolve("expected.jsonl"), StandardCharsets.UTF_8);
    assertEquals(20, texts.size());
    List<Prediction> ours = c.predict(texts);
    double max = 0;
    for (int i = 0; i < texts.size(); i++) {
      Map<String, Object> e = Json.parseObject(expected.get(i));
      assertEquals(e.get("label"), ours.get(i).label(), texts.get(i));
      for (Map.Entry<?, ?> p : ((Map<?, ?>) e.get("probabilities")).entrySet()) {
        double d = Math.abs(((Number) p.getValue()).doubleValue() - ours.get(i).probability((String) p.getKey()));
        max = Math.max(max, d);
        assertEquals(((Number) p.getValue()).doubleValue(), ours.get(i).probability((String) p.getKey()), 1e-6);
      }
    }
    System.out.printf("max probability difference to PyTorch: %.2e%n", max);
  }
}
