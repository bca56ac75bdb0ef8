package org.rnn4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Json;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.persist.ModelConfig;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.persist.Provenance;

/** What the info command prints of any model: the same facts as text or as one JSON object. */
record ModelInfo(Path dir, ModelConfig config, String tokenizer, int vocabulary, Map<String, int[]> shapes,
                 long parameters) {
  /** config.json of a model directory, parsed (for dispatching on its task). */
  static Map<String, Object> taskOf(Path dir) throws Exception {
    Path f = dir.resolve(ModelDirectory.CONFIG);
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "no model directory");
    }
    if (!Files.isRegularFile(f)) {
      throw new NoSuchFileException(f.toString(), null, "not an rnn4j model directory (no config.json)");
    }
    try {
      return Json.parseObject(Files.readString(f, StandardCharsets.UTF_8));
    } catch (FormatException e) {
      throw new FormatException(f + ": corrupt: " + e.getMessage());
    }
  }

  /** One JSON line; {@code extra} (a classifier's classes) comes after the tokenizer. */
  String json(Map<String, Object> extra) {
    Map<String, Object> doc = config.toJson();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", dir.toString());
    m.put("task", config.task());
    m.put("architecture", doc.get("model"));
    m.putAll(extra);
    m.put("tokenizer", tokenizer);
    m.put("vocabulary", vocabulary);
    m.put("parameters", new LinkedHashMap<>(shapes));
    m.put("total_parameters", parameters);
    m.put("best", doc.get("best"));
    m.put("provenance", doc.get("provenance"));
    return Json.write(m) + "\n";
  }

  /** The text form: what the model is, its architecture line, {@code extra} lines, parameters, history. */
  String text(String kind, String architecture, String extra) {
    StringBuilder b = new StringBuilder();
    b.append("model         ").append(dir).append("  (").append(kind).append(")\n");
    b.append("architecture  ").append(architecture).append('\n');
    b.append(extra);
    b.append("tokenizer     ").append(tokenizer).append(", vocabulary ").append(vocabulary).append('\n');
    b.append(parameterTable());
    b.append(history());
    return b.toString();
  }

  private String parameterTable() {
    StringBuilder b = new StringBuilder("parameters\n");
    int w = 20;
    for (String k : shapes.keySet()) {
      w = Math.max(w, k.length());
    }
    for (Map.Entry<String, int[]> e : shapes.entrySet()) {
      long n = 1;
      for (int d : e.getValue()) {
        n *= d;
      }
      b.append(String.format(Locale.ROOT, "  %-" + w + "s  %-14s %,12d%n", e.getKey(), Arrays.toString(e.getValue()), n));
    }
    b.append(String.format(Locale.ROOT, "  %-" + w + "s  %-14s %,12d%n", "total", "", parameters));
    return b.toString();
  }

  private String history() {
    StringBuilder b = new StringBuilder();
    Map<String, Object> best = config.best();
    if (best != null) {
      b.append("best epoch    ").append(best.get(EpochMetrics.EPOCH));
      for (String k : new String[] {EpochMetrics.VALID_ACCURACY, EpochMetrics.VALID_MACRO_F1, EpochMetrics.VALID_LOSS,
          EpochMetrics.VALID_BITS_PER_CHAR}) {
        if (best.get(k) instanceof Number n) {
          b.append(String.format(Locale.ROOT, "  %s %.4f", k, n.doubleValue()));
        }
      }
      b.append('\n');
    }
    Provenance p = config.provenance();
    if (p != null && p.rnn4jVersion() != null) {
      b.append("trained       seed ").append(p.seed()).append(", started ").append(p.startedAt())
          .append(", rnn4j ").append(p.rnn4jVersion()).append('\n');
      b.append("data sha256   ").append(p.dataSha256()).append('\n');
    }
    return b.toString();
  }
}
