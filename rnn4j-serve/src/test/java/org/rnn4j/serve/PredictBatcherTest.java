package org.rnn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.classify.Classifier;
import org.rnn4j.classify.Prediction;
import org.rnn4j.network.WeightPrecision;
import org.rnn4j.testing.TestModels;
import org.rnn4j.text.LabeledText;

/** The micro-batcher alone: a full queue refuses, queued texts come out in batches with unbatched answers. */
class PredictBatcherTest {
  @TempDir static Path dir;
  static ServedModel model;

  @BeforeAll
  static void train() throws Exception {
    TestModels.classifier(dir.resolve("news"), 3);
    model = ServedModel.load("news", dir.resolve("news"), WeightPrecision.FLOAT32);
  }

  @Test
  void submit_fullQueue_refusesAtOnce() {
    ServerMetrics metrics = new ServerMetrics();
    PredictBatcher b = new PredictBatcher(model, 4, 0, 3, metrics, false);
    try {
      for (int i = 0; i < 3; i++) {
        assertNotNull(b.submit("goal"), "text " + i + " fits");
      }
      assertNull(b.submit("goal"), "the fourth text finds the queue full");
      assertEquals(3, b.depth());
    } finally {
      b.start();
      b.close();
    }
  }

  @Test
  void queuedTexts_areAnsweredInBatchesAsTheyWouldBeAlone() throws Exception {
    answeredInBatchesAsAlone(model);
  }

  /**
   * With W_hh in bfloat16, a text alone runs the batch-1 kernels over bfloat16 pairs and a batch the
   * float kernels over the same rounded values: the answers must still be the same bits.
   */
  @Test
  void queuedTexts_bf16Weights_areAnsweredInBatchesAsTheyWouldBeAlone() throws Exception {
    ServedModel bf16 = ServedModel.load("news", dir.resolve("news"), WeightPrecision.BF16);
    String text = TestModels.topics(1, 4).get(0).text(); // several tokens: W_hh is read from the second on
    Object alone = bf16.current().classifier().predict(text).toJson();
    assertNotEquals(model.current().classifier().predict(text).toJson(), alone, "the rounding reaches the output");
    answeredInBatchesAsAlone(bf16);
  }

  private static void answeredInBatchesAsAlone(ServedModel model) throws Exception {
    ServerMetrics metrics = new ServerMetrics();
    PredictBatcher b = new PredictBatcher(model, 8, 0, 100, metrics, false);
    Classifier c = model.current().classifier();
    List<String> texts = TestModels.topics(20, 4).stream().map(LabeledText::text).toList();
    List<CompletableFuture<Prediction>> futures = new ArrayList<>();
    for (String t : texts) {
      futures.add(b.submit(t));
    }
    b.start();
    try {
      for (int i = 0; i < texts.size(); i++) {
        Prediction p = futures.get(i).get(10, TimeUnit.SECONDS);
        assertEquals(c.predict(texts.get(i)).toJson(), p.toJson(), "text " + i);
      }
    } finally {
      b.close();
    }
    String m = metrics.render(List.of(model));
    // 20 waiting texts, at most 8 per pass: 8 + 8 + 4.
    assertTrue(m.contains("rnn4j_batch_size_count{model=\"news\"} 3"), m);
    assertTrue(m.contains("rnn4j_batch_size_sum{model=\"news\"} 20"), m);
  }
}
