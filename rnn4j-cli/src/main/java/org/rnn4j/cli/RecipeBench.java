package org.rnn4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.classify.Classifier;
import org.rnn4j.network.ClassifierNet;
import org.rnn4j.network.WeightPrecision;
import org.rnn4j.persist.ModelDirectory;

/**
 * {@code rnn4j bench --model DIR --texts FILE}: inference of a real classifier over real texts, each
 * with its own length, in batches of 64 in file order (as {@code predict} batches stdin). Tokenization
 * is done before timing, as bench/onnx_compare.py does it for ONNX Runtime, so that the two compare
 * the same work.
 */
final class RecipeBench {
  static final int BATCH = 64;

  private RecipeBench() {}

  static Map<String, Object> run(Path model, Path texts, int repeats, double warmSeconds, WeightPrecision weights)
      throws IOException {
    Classifier c = Classifier.load(model, weights);
    ModelDirectory.Contents contents = ModelDirectory.load(model, "classification");
    ClassifierNet net = new ClassifierNet(contents.config().network());
    contents.loadInto(net.parameters());
    int pad = Math.max(0, contents.vocabulary().paddingId());
    List<int[]> ids = new ArrayList<>();
    long tokens = 0;
    for (String line : Files.readAllLines(texts, StandardCharsets.UTF_8)) {
      try {
        int[] x = c.encode(line);
        ids.add(x);
        tokens += x.length;
      } catch (IllegalArgumentException empty) {
        // a text without tokens is not predicted
      }
    }
    List<int[][]> batches = new ArrayList<>(); // {tokens (B·T), lengths (B), {T}}
    for (int i = 0; i < ids.size(); i += BATCH) {
      List<int[]> b = ids.subList(i, Math.min(ids.size(), i + BATCH));
      int t = b.stream().mapToInt(x -> x.length).max().orElse(1);
      int[] tok = new int[b.size() * t];
      Arrays.fill(tok, pad);
      int[] len = new int[b.size()];
      for (int j = 0; j < b.size(); j++) {
        System.arraycopy(b.get(j), 0, tok, j * t, b.get(j).length);
        len[j] = b.get(j).length;
      }
      batches.add(new int[][] {tok, len, {t}});
    }
    ClassifierNet.Workspace ws = net.newWorkspace();
    long warmEnd = System.nanoTime() + (long) (warmSeconds * 1e9);
    do {
      for (int[][] b : batches) {
        net.infer(ws, b[0], b[1], b[2][0]);
      }
    } while (System.nanoTime() < warmEnd);
    double[] rates = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      long t0 = System.nanoTime();
      for (int[][] b : batches) {
        net.infer(ws, b[0], b[1], b[2][0]);
      }
      rates[r] = ids.size() / ((System.nanoTime() - t0) / 1e9);
    }
    Arrays.sort(rates);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workload", "agnews");
    m.put("framework", "rnn4j");
    m.put("model", model.toString());
    m.put("texts", ids.size());
    m.put("tokens", tokens);
    m.put("texts_per_s", rates[repeats / 2]);
    return m;
  }
}
