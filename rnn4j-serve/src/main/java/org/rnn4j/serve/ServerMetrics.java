package org.rnn4j.serve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The figures GET /metrics reports, in Prometheus' text exposition format (version 0.0.4): requests
 * by route and status, request latency and batch size as histograms, queue depth, and each model's
 * load time and weights' sha256. Updates are lock-free; a scrape reads them as they are.
 */
final class ServerMetrics {
  /** Latency buckets in seconds: 0.5 ms to 10 s, as Prometheus' client defaults span it. */
  private static final double[] LATENCY = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
      2.5, 5, 10};
  private static final double[] BATCH = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

  /** A cumulative histogram: counts per upper bound, plus +Inf, sum and count. */
  private static final class Histogram {
    final double[] bounds;
    final AtomicLongArray counts;
    final DoubleAdder sum = new DoubleAdder();
    final AtomicLong count = new AtomicLong();

    Histogram(double[] bounds) {
      this.bounds = bounds;
      this.counts = new AtomicLongArray(bounds.length);
    }

    void observe(double v) {
      for (int i = 0; i < bounds.length; i++) {
        if (v <= bounds[i]) {
          counts.incrementAndGet(i);
        }
      }
      sum.add(v);
      count.incrementAndGet();
    }

    void write(StringBuilder b, String name, String labels) {
      String sep = labels.isEmpty() ? "" : labels + ",";
      for (int i = 0; i < bounds.length; i++) {
        b.append(name).append("_bucket{").append(sep).append("le=\"").append(number(bounds[i])).append("\"} ")
            .append(counts.get(i)).append('\n');
      }
      b.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(count.get()).append('\n');
      String braces = labels.isEmpty() ? "" : "{" + labels + "}";
      b.append(name).append("_sum").append(braces).append(' ').append(number(sum.sum())).append('\n');
      b.append(name).append("_count").append(braces).append(' ').append(count.get()).append('\n');
    }
  }

  private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
  private final Map<String, Histogram> batchSize = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> queueDepth = new ConcurrentHashMap<>();

  void request(String route, int status, double seconds) {
    requests.computeIfAbsent(labels("route", route, "status", Integer.toString(status)), k -> new AtomicLong())
        .incrementAndGet();
    latency.computeIfAbsent(labels("route", route), k -> new Histogram(LATENCY)).observe(seconds);
  }

  void batch(String model, int size) {
    batchSize.computeIfAbsent(labels("model", model), k -> new Histogram(BATCH)).observe(size);
  }

  void queueDepth(String model, int depth) {
    queueDepth.computeIfAbsent(labels("model", model), k -> new AtomicLong()).set(depth);
  }

  /** The exposition text; {@code models} gives each served model's current version. */
  String render(Iterable<ServedModel> models) {
    StringBuilder b = new StringBuilder();
    b.append("# HELP rnn4j_requests_total HTTP requests by route and status.\n");
    b.append("# TYPE rnn4j_requests_total counter\n");
    new TreeMap<>(requests).forEach((l, c) -> b.append("rnn4j_requests_total{").append(l).append("} ")
        .append(c.get()).append('\n'));
    b.append("# HELP rnn4j_request_duration_seconds Time from reading a request to the end of its answer.\n");
    b.append("# TYPE rnn4j_request_duration_seconds histogram\n");
    new TreeMap<>(latency).forEach((l, h) -> h.write(b, "rnn4j_request_duration_seconds", l));
    b.append("# HELP rnn4j_batch_size Texts per forward pass of the micro-batcher.\n");
    b.append("# TYPE rnn4j_batch_size histogram\n");
    new TreeMap<>(batchSize).forEach((l, h) -> h.write(b, "rnn4j_batch_size", l));
    b.append("# HELP rnn4j_queue_depth Texts waiting for the micro-batcher.\n");
    b.append("# TYPE rnn4j_queue_depth gauge\n");
    new TreeMap<>(queueDepth).forEach((l, d) -> b.append("rnn4j_queue_depth{").append(l).append("} ")
        .append(d.get()).append('\n'));
    b.append("# HELP rnn4j_model_load_seconds Time the served version of each model took to load.\n");
    b.append("# TYPE rnn4j_model_load_seconds gauge\n");
    for (ServedModel m : models) {
      ServedModel.Version v = m.current();
      b.append("rnn4j_model_load_seconds{")
          .append(labels("model", m.name, "task", v.config().task(), "sha256", v.sha256())).append("} ")
          .append(number(v.loadSeconds())).append('\n');
    }
    return b.toString();
  }

  private static String labels(String... kv) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < kv.length; i += 2) {
      if (i > 0) {
        b.append(',');
      }
      b.append(kv[i]).append("=\"").append(kv[i + 1].replace("\\", "\\\\").replace("\"", "\\\"")
          .replace("\n", "\\n")).append('"');
    }
    return b.toString();
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
  }
}
