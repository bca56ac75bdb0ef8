package org.rnn4j.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.rnn4j.classify.Classifier;
import org.rnn4j.classify.Prediction;

/**
 * Gathers the texts that concurrent requests send to one classifier into batches of up to {@code
 * maxBatch} and runs each batch as one forward pass on a thread of its own. A batch takes what is
 * queued; it waits for more (at most {@code maxWaitNanos} after its first text) only while other
 * requests for the model are still being read ({@link #arriving}), so a lone request is not held
 * back, and under load the texts that queue up while one batch runs form the next. A batch computes every text exactly as it would alone
 * (each output element is one fused multiply-add chain, whatever the batch), so batching changes
 * throughput, not results. The queue is bounded: when it is full, {@link #submit} refuses at once
 * and the caller answers 503 rather than letting latency grow without limit.
 */
final class PredictBatcher implements AutoCloseable {
  private static final long SLICE_NANOS = 100_000;

  /** One text waiting for its prediction. */
  record Job(String text, CompletableFuture<Prediction> result) {}

  private final ServedModel model;
  private final int maxBatch;
  private final long maxWaitNanos;
  private final ServerMetrics metrics;
  private final ArrayBlockingQueue<Job> queue;
  private final Thread worker;
  private volatile boolean closed;
  /** Requests for this model whose bodies are being read: texts that may join the next batch. */
  private final AtomicInteger arriving = new AtomicInteger();

  PredictBatcher(ServedModel model, int maxBatch, long maxWaitNanos, int capacity, ServerMetrics metrics) {
    this(model, maxBatch, maxWaitNanos, capacity, metrics, true);
  }

  /** With {@code start} false the worker waits for {@link #start()}: tests fill the queue first. */
  PredictBatcher(ServedModel model, int maxBatch, long maxWaitNanos, int capacity, ServerMetrics metrics,
                 boolean start) {
    this.model = model;
    this.maxBatch = maxBatch;
    this.maxWaitNanos = maxWaitNanos;
    this.metrics = metrics;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.worker = new Thread(this::run, "rnn4j-batcher-" + model.name);
    worker.setDaemon(true);
    if (start) {
      worker.start();
    }
  }

  void start() {
    worker.start();
  }

  /** Queues a text; null when the queue is full. The text must already be known to have tokens. */
  CompletableFuture<Prediction> submit(String text) {
    Job job = new Job(text, new CompletableFuture<>());
    if (closed || !queue.offer(job)) {
      return null;
    }
    metrics.queueDepth(model.name, queue.size());
    return job.result();
  }

  /** A predict request for this model has begun (+1) or has submitted its texts or failed (-1). */
  void arriving(int delta) {
    arriving.addAndGet(delta);
  }

  int depth() {
    return queue.size();
  }

  private void run() {
    List<Job> batch = new ArrayList<>(maxBatch);
    while (!closed || !queue.isEmpty()) {
      try {
        Job first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < maxBatch) {
          Job next = queue.poll();
          if (next == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || arriving.get() == 0) {
              break;
            }
            // Short slices: a request that fails while being read must not hold the batch to the deadline.
            next = queue.poll(Math.min(left, SLICE_NANOS), TimeUnit.NANOSECONDS);
            if (next == null) {
              continue;
            }
          }
          batch.add(next);
        }
        metrics.queueDepth(model.name, queue.size());
        predict(batch);
      } catch (InterruptedException e) {
        if (closed) {
          break;
        }
      } finally {
        batch.clear();
      }
    }
  }

  private void predict(List<Job> batch) {
    // Requests that timed out meanwhile were cancelled: their texts are not computed.
    batch.removeIf(j -> j.result().isDone());
    if (batch.isEmpty()) {
      return;
    }
    List<String> texts = new ArrayList<>(batch.size());
    for (Job j : batch) {
      texts.add(j.text());
    }
    metrics.batch(model.name, batch.size());
    try {
      Classifier c = model.current().classifier();
      List<Prediction> ps = c.predict(texts);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(ps.get(i));
      }
    } catch (RuntimeException e) {
      for (Job j : batch) {
        j.result().completeExceptionally(e);
      }
    }
  }

  /** Finishes the texts already queued, then stops the worker. */
  @Override
  public void close() {
    closed = true;
    try {
      worker.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    worker.interrupt();
  }
}
