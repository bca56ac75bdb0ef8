package org.rnn4j.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One row of metrics.jsonl: named numbers (and a few strings) in a stable order. */
public final class EpochMetrics {
  private final Map<String, Object> values;

  public EpochMetrics(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public Map<String, Object> values() {
    return values;
  }

  public int epoch() {
    return ((Number) values.get("epoch")).intValue();
  }

  /** The value as a double, or NaN when absent. */
  public double get(String key) {
    Object v = values.get(key);
    return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
  }

  public String text(String key) {
    Object v = values.get(key);
    return v == null ? null : v.toString();
  }

  @Override
  public String toString() {
    return org.rnn4j.io.Json.write(values);
  }
}
