package org.rnn4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Json;
import org.rnn4j.train.ModelDirectory;

/** Shared pieces of the info command. */
final class ModelInfo {
  private ModelInfo() {}

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

  static int languageModel(Path dir, boolean json) throws Exception {
    org.rnn4j.lm.LanguageModel lm = org.rnn4j.lm.LanguageModel.load(dir);
    org.rnn4j.network.NetConfig a = lm.architecture();
    if (json) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("model", dir.toString());
      m.put("task", "language_model");
      m.put("architecture", lm.config().get("model"));
      m.put("tokenizer", lm.tokenizer().name());
      m.put("vocabulary", lm.vocabulary().size());
      Map<String, Object> params = new java.util.LinkedHashMap<>();
      lm.parameterShapes().forEach(params::put);
      m.put("parameters", params);
      m.put("total_parameters", lm.parameterCount());
      m.put("best", lm.config().get("best"));
      m.put("provenance", lm.config().get("provenance"));
      System.out.println(Json.write(m));
      return 0;
    }
    StringBuilder b = new StringBuilder();
    b.append("model         ").append(dir).append("  (language model)\n");
    b.append(String.format(Locale.ROOT, "architecture  %s, %d layer%s, embedding %d, hidden %d, dropout %s%n",
        a.cell().id(), a.layers(), a.layers() == 1 ? "" : "s", a.embed(), a.hidden(), a.dropout()));
    b.append("tokenizer     ").append(lm.tokenizer().name()).append(", vocabulary ").append(lm.vocabulary().size())
        .append('\n');
    b.append(parameterTable(lm.parameterShapes(), lm.parameterCount()));
    b.append(history(lm.config()));
    System.out.print(b);
    return 0;
  }

  static String parameterTable(Map<String, int[]> shapes, long total) {
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
    b.append(String.format(Locale.ROOT, "  %-" + w + "s  %-14s %,12d%n", "total", "", total));
    return b.toString();
  }

  static String history(Map<String, Object> cfg) {
    StringBuilder b = new StringBuilder();
    Object best = cfg.get("best");
    Object prov = cfg.get("provenance");
    if (best instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) best;
      b.append("best epoch    ").append(m.get("epoch"));
      for (String k : new String[] {"valid_accuracy", "valid_macro_f1", "valid_loss", "valid_bits_per_char"}) {
        if (m.get(k) instanceof Number) {
          b.append(String.format(Locale.ROOT, "  %s %.4f", k, ((Number) m.get(k)).doubleValue()));
        }
      }
      b.append('\n');
    }
    if (prov instanceof Map) {
      Map<?, ?> p = (Map<?, ?>) prov;
      b.append("trained       seed ").append(p.get("seed")).append(", started ").append(p.get("started_at"))
          .append(", rnn4j ").append(p.get("rnn4j_version")).append('\n');
      b.append("data sha256   ").append(p.get("data_sha256")).append('\n');
    }
    return b.toString();
  }
}
