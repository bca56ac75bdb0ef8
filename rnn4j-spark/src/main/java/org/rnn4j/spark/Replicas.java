package org.rnn4j.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.broadcast.Broadcast;
import org.rnn4j.classify.Evaluation;
import org.rnn4j.classify.TrainingConfig;
import org.rnn4j.network.ClassifierNet;
import org.rnn4j.network.NetConfig;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.nn.Pooling;
import org.rnn4j.nn.RowSet;
import org.rnn4j.optim.Optimizer;
import org.rnn4j.random.Rng;
import org.rnn4j.text.Batch;

/**
 * The executor side of distributed training: copies of the network, one per concurrently running
 * task of a run, kept between steps so that a step costs a copy of the weights and no allocation;
 * and the two things a partition computes, a step's gradient part and an evaluation part.
 */
final class Replicas {
  private static final Map<String, Queue<Replica>> POOLS = new ConcurrentHashMap<>();
  /** Local SGD: each partition's own replica and optimizer, by run and the partition's first index. */
  private static final Map<String, LocalWorker> WORKERS = new ConcurrentHashMap<>();
  /** Validation texts per forward pass, as the single-process evaluation. */
  private static final int EVAL_BATCH = 256;

  private Replicas() {}

  /** The network's shape, as it travels to the executors. */
  record Architecture(CellType cell, int vocabulary, int embed, int hidden, int layers, boolean bidirectional,
                      float dropout, Pooling pooling, int classes, int paddingIndex) implements Serializable {
    static Architecture of(NetConfig c) {
      return new Architecture(c.cell(), c.vocabulary(), c.embed(), c.hidden(), c.layers(), c.bidirectional(),
          c.dropout(), c.pooling(), c.classes(), c.paddingIndex());
    }

    NetConfig config() {
      return NetConfig.builder().cell(cell).vocabulary(vocabulary).embed(embed).hidden(hidden).layers(layers)
          .bidirectional(bidirectional).dropout(dropout).pooling(pooling).classes(classes).paddingIndex(paddingIndex)
          .build();
    }
  }

  /** What every task of a run needs besides its shard: run id, shape, weights of this step. */
  record StepContext(String run, Architecture architecture, Broadcast<float[]> weights, long version, int pad)
      implements Serializable {}

  private static final class Replica {
    final ClassifierNet net;
    final ClassifierNet.Workspace ws;
    final ClassifierNet.Workspace evalWs;
    long version = -1;

    Replica(Architecture a) {
      net = new ClassifierNet(a.config());
      net.lookUpInputProjection(false);
      ws = net.newWorkspace();
      evalWs = net.newWorkspace();
    }
  }

  private static Replica borrow(StepContext c) {
    ExecutorModels.useOneThreadPerTask();
    Replica r = POOLS.computeIfAbsent(c.run(), k -> new ConcurrentLinkedQueue<>()).poll();
    if (r == null) {
      r = new Replica(c.architecture());
    }
    if (r.version != c.version()) {
      r.net.parameters().restore(c.weights().value());
      r.version = c.version();
    }
    return r;
  }

  private static void giveBack(StepContext c, Replica r) {
    POOLS.get(c.run()).add(r);
  }

  /** Drops a finished run's replicas from this JVM. */
  static void forget(String run) {
    POOLS.remove(run);
    WORKERS.keySet().removeIf(k -> k.startsWith(run + "/"));
  }

  /** A partition's replica with the optimizer it keeps between rounds (its moments stay local). */
  private static final class LocalWorker {
    final Replica replica;
    final Optimizer optimizer;

    LocalWorker(Architecture a, Map<String, Object> settings) {
      replica = new Replica(a);
      optimizer = TrainingConfig.fromJson(settings).build().newOptimizer(replica.net.parameters());
    }
  }

  /**
   * Local SGD: from this round's weights the shard takes one optimizer step of its own per batch in
   * {@code batches} (each sorted global indices; the examples of it that this shard holds), and
   * returns how far its weights moved, with its loss and counts. A shard with no examples in the
   * round returns an empty part. The optimizer's state stays in this JVM between rounds.
   */
  static GradientPart localRound(Shard shard, long[][] batches, double lr, long dropoutSeed, StepContext c,
                                 Map<String, Object> settings) {
    LocalWorker w;
    synchronized (WORKERS) {
      w = WORKERS.computeIfAbsent(c.run() + "/" + shard.start(), k -> new LocalWorker(c.architecture(), settings));
    }
    synchronized (w) {
      ExecutorModels.useOneThreadPerTask();
      Replica r = w.replica;
      float[] start = c.weights().value();
      r.net.parameters().restore(start);
      GradientPart p = new GradientPart();
      int k = c.architecture().classes();
      for (int j = 0; j < batches.length; j++) {
        long[] batch = batches[j];
        int from = lowerBound(batch, shard.start());
        int to = lowerBound(batch, shard.start() + shard.size());
        int m = to - from;
        if (m == 0) {
          continue;
        }
        Batch b = members(shard, batch, from, m, c.pad());
        forwardBackward(r, b, new Rng(dropoutSeed ^ (shard.start() * 0x9E3779B97F4A7C15L) ^ j), k, p);
        w.optimizer.gradientRows(r.net.embeddingWeight(), r.ws.touchedRows().rows(), r.ws.touchedRows().size());
        w.optimizer.step(lr);
      }
      if (p.examples > 0) {
        float[] now = r.net.parameters().data();
        p.dense = new float[start.length];
        float share = (float) p.examples;
        for (int i = 0; i < start.length; i++) {
          p.dense[i] = (now[i] - start[i]) * share; // weighted by examples; the driver divides by their sum
        }
        p.bytes = p.payloadBytes();
      }
      return p;
    }
  }

  /** The shard's examples {@code batch[from..from+m)} as a padded batch. */
  private static Batch members(Shard shard, long[] batch, int from, int m, int pad) {
    int[][] ids = new int[m][];
    int[] labels = new int[m];
    int[] order = new int[m];
    for (int i = 0; i < m; i++) {
      int local = (int) (batch[from + i] - shard.start());
      ids[i] = shard.ids()[local];
      labels[i] = shard.labels()[local];
      order[i] = i;
    }
    return Batch.of(ids, labels, order, 0, m, pad, 0);
  }

  /**
   * The gradient part of the examples of {@code batch} (sorted global indices) this shard holds,
   * weighted by their share {@code m / globalBatch} of the step.
   */
  static GradientPart gradient(Shard shard, long[] batch, int globalBatch, long dropoutSeed, StepContext c) {
    int from = lowerBound(batch, shard.start());
    int to = lowerBound(batch, shard.start() + shard.size());
    int m = to - from;
    if (m == 0) {
      return GradientPart.empty();
    }
    Batch b = members(shard, batch, from, m, c.pad());
    Replica r = borrow(c);
    try {
      GradientPart p = new GradientPart();
      forwardBackward(r, b, new Rng(dropoutSeed ^ (shard.start() * 0x9E3779B97F4A7C15L)), c.architecture().classes(), p);
      takeGradient(r, (float) m / globalBatch, p);
      p.bytes = p.payloadBytes();
      return p;
    } finally {
      giveBack(c, r);
    }
  }

  /** Forward, loss and backward of one batch on the replica (gradient accumulated in it), counted into {@code p}. */
  private static void forwardBackward(Replica r, Batch b, Rng dropout, int classes, GradientPart p) {
    float[] logits = r.net.forward(r.ws, b.tokens, b.lengths, b.paddedLength, true, dropout);
    double loss = r.net.loss(r.ws, b.labels);
    r.net.backward(r.ws);
    p.examples += b.size;
    p.lossSum += loss * b.size;
    p.tokens += b.tokenCount;
    p.correct += Evaluation.correctPredictions(logits, b.labels, b.size, classes);
  }

  /** Moves the replica's gradient into the part, scaled, and leaves the replica's gradient zero. */
  private static void takeGradient(Replica r, float scale, GradientPart p) {
    ParameterSet params = r.net.parameters();
    Parameter emb = r.net.embeddingWeight();
    float[] g = params.grad();
    int dense = params.size() - emb.size();
    p.dense = new float[dense];
    int at = 0;
    for (Parameter q : params.parameters()) {
      if (q == emb) {
        continue;
      }
      for (int i = 0; i < q.size(); i++) {
        p.dense[at++] = g[q.offset() + i] * scale;
        g[q.offset() + i] = 0f;
      }
    }
    RowSet touched = r.ws.touchedRows();
    int[] rows = Arrays.copyOf(touched.rows(), touched.size());
    Arrays.sort(rows);
    int width = emb.dim(1);
    p.rows = rows;
    p.rowGrads = new float[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      int off = emb.offset() + rows[i] * width;
      for (int j = 0; j < width; j++) {
        p.rowGrads[i * width + j] = g[off + j] * scale;
        g[off + j] = 0f;
      }
    }
  }

  /** Validation counts of a shard: the loss summed over its examples and the confusion matrix. */
  static EvaluationPart evaluate(Shard shard, StepContext c) {
    int k = c.architecture().classes();
    EvaluationPart e = new EvaluationPart(k);
    if (shard.size() == 0) {
      return e;
    }
    Replica r = borrow(c);
    try {
      int n = shard.size();
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      for (int from = 0; from < n; from += EVAL_BATCH) {
        int to = Math.min(n, from + EVAL_BATCH);
        Batch b = Batch.of(shard.ids(), shard.labels(), order, from, to, c.pad(), 0);
        float[] logits = r.net.infer(r.evalWs, b.tokens, b.lengths, b.paddedLength);
        e.lossSum += r.net.loss(r.evalWs, b.labels) * b.size;
        for (int i = 0; i < b.size; i++) {
          e.confusion[b.labels[i]][Evaluation.predictedClass(logits, i, k)]++;
        }
      }
      e.examples = n;
      return e;
    } finally {
      giveBack(c, r);
    }
  }

  /** A shard's validation counts; parts add up. */
  static final class EvaluationPart implements Serializable {
    private static final long serialVersionUID = 1L;
    double lossSum;
    long examples;
    final long[][] confusion;

    EvaluationPart(int classes) {
      confusion = new long[classes][classes];
    }

    EvaluationPart plus(EvaluationPart o) {
      EvaluationPart r = new EvaluationPart(confusion.length);
      r.lossSum = lossSum + o.lossSum;
      r.examples = examples + o.examples;
      for (int i = 0; i < confusion.length; i++) {
        for (int j = 0; j < confusion.length; j++) {
          r.confusion[i][j] = confusion[i][j] + o.confusion[i][j];
        }
      }
      return r;
    }
  }

  /** First position in sorted {@code a} whose value is >= {@code v}. */
  static int lowerBound(long[] a, long v) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
