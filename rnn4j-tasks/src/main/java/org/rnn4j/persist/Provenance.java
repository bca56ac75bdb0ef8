package org.rnn4j.persist;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.Rnn4j;
import org.rnn4j.runtime.Environment;

/**
 * Where a model came from: the sha256 of its training and validation data, the rnn4j version, when
 * the run started, its seed and the runtime (config.json's "provenance"). A model imported from
 * elsewhere has other keys (such as {@code exported_from}); they are kept in {@code other}.
 *
 * @param dataSha256 sha256 of the training data (a file's bytes, or the canonical text of in-memory data)
 * @param validSha256 likewise for the validation data; null when it was held out of the training data
 */
public record Provenance(String dataSha256, String validSha256, String rnn4jVersion, String startedAt, Long seed,
                         Map<String, Object> environment, Map<String, Object> other) {
  private static final String DATA_SHA256 = "data_sha256";
  private static final String VALID_SHA256 = "valid_sha256";
  private static final String VERSION = "rnn4j_version";
  private static final String STARTED_AT = "started_at";
  private static final String SEED = "seed";
  private static final String ENVIRONMENT = "environment";

  /** The provenance of a run of this rnn4j, in this runtime. */
  public static Provenance ofRun(String dataSha256, String validSha256, String startedAt, long seed) {
    return new Provenance(dataSha256, validSha256, Rnn4j.VERSION, startedAt, seed, Environment.describe(), Map.of());
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (rnn4jVersion != null) {
      m.put(DATA_SHA256, dataSha256);
      m.put(VALID_SHA256, validSha256);
      m.put(VERSION, rnn4jVersion);
      m.put(STARTED_AT, startedAt);
      m.put(SEED, seed);
      m.put(ENVIRONMENT, environment);
    }
    m.putAll(other);
    return m;
  }

  /** Reads what m holds; absent keys are null. */
  @SuppressWarnings("unchecked")
  public static Provenance fromJson(Map<String, Object> m) {
    Map<String, Object> other = new LinkedHashMap<>(m);
    String data = other.remove(DATA_SHA256) instanceof String s ? s : null;
    String valid = m.get(VALID_SHA256) instanceof String s ? s : null;
    other.remove(VALID_SHA256);
    String version = other.remove(VERSION) instanceof String s ? s : null;
    String started = other.remove(STARTED_AT) instanceof String s ? s : null;
    Long seed = other.remove(SEED) instanceof Number n ? n.longValue() : null;
    Map<String, Object> env = other.remove(ENVIRONMENT) instanceof Map<?, ?> e ? (Map<String, Object>) e : null;
    return new Provenance(data, valid, version, started, seed, env, other);
  }
}
