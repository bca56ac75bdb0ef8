package org.rnn4j.classify;

import java.util.Arrays;
import java.util.Comparator;
import org.rnn4j.network.ClassifierNet;
import org.rnn4j.nn.SoftmaxCrossEntropy;
import org.rnn4j.text.Batch;

/** Batched forward passes over encoded sequences, shared by validation, eval and predict. */
final class Inference {
  static final int BATCH = 128;

  private Inference() {}

  /** Indices sorted by length so that batches pad little; results do not depend on the order. */
  static int[] byLength(int[][] ids) {
    Integer[] idx = new Integer[ids.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, Comparator.comparingInt(i -> ids[i].length));
    int[] out = new int[idx.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = idx[i];
    }
    return out;
  }

  /** Class probabilities (n, classes) for every sequence. */
  static float[] probabilities(ClassifierNet net, ClassifierNet.Workspace ws, int[][] ids, int pad, int maxLength) {
    int classes = net.config().classes();
    float[] out = new float[ids.length * classes];
    int[] order = byLength(ids);
    for (int from = 0; from < ids.length; from += BATCH) {
      int to = Math.min(ids.length, from + BATCH);
      Batch b = Batch.of(ids, null, order, from, to, pad, maxLength);
      float[] logits = net.infer(ws, b.tokens, b.lengths, b.paddedLength);
      for (int i = 0; i < b.size; i++) {
        SoftmaxCrossEntropy.softmax(logits, i * classes, classes, out, order[from + i] * classes);
      }
    }
    return out;
  }

  /** Confusion matrix and mean loss of labelled sequences. */
  static Evaluation evaluate(ClassifierNet net, ClassifierNet.Workspace ws, int[][] ids, int[] labels, int pad,
                             int maxLength, java.util.List<String> classNames) {
    int classes = net.config().classes();
    long[][] confusion = new long[classes][classes];
    double lossSum = 0;
    int[] order = byLength(ids);
    for (int from = 0; from < ids.length; from += BATCH) {
      int to = Math.min(ids.length, from + BATCH);
      Batch b = Batch.of(ids, labels, order, from, to, pad, maxLength);
      float[] logits = net.infer(ws, b.tokens, b.lengths, b.paddedLength);
      lossSum += net.loss(ws, b.labels) * b.size;
      for (int i = 0; i < b.size; i++) {
        confusion[b.labels[i]][Evaluation.predictedClass(logits, i, classes)]++;
      }
    }
    return new Evaluation(classNames, confusion, ids.length == 0 ? Double.NaN : lossSum / ids.length);
  }
}
