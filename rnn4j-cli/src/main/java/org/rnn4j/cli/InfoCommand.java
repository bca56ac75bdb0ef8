package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.classify.Classifier;
import org.rnn4j.io.Json;
import org.rnn4j.network.NetConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "info", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Describe a model: architecture, parameter counts per tensor and in total, training history.")
final class InfoCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
  Path model;
  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> cfg = ModelInfo.taskOf(model);
    if ("language_model".equals(cfg.get("task"))) {
      return ModelInfo.languageModel(model, json);
    }
    Classifier c = Classifier.load(model);
    NetConfig a = c.architecture();
    Map<String, int[]> shapes = c.parameterShapes();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", model.toString());
      m.put("task", "classification");
      m.put("architecture", c.config().get("model"));
      m.put("classes", c.classes());
      m.put("tokenizer", c.tokenizer());
      m.put("vocabulary", c.vocabulary().size());
      Map<String, Object> params = new LinkedHashMap<>();
      shapes.forEach((k, v) -> params.put(k, v));
      m.put("parameters", params);
      m.put("total_parameters", c.parameterCount());
      m.put("best", c.config().get("best"));
      m.put("provenance", c.config().get("provenance"));
      System.out.println(Json.write(m));
      return 0;
    }
    StringBuilder b = new StringBuilder();
    b.append("model         ").append(model).append("  (text classification)\n");
    b.append(String.format(Locale.ROOT, "architecture  %s, %d layer%s, %s, embedding %d, hidden %d, pooling %s, dropout %s%n",
        a.cell().id(), a.layers(), a.layers() == 1 ? "" : "s", a.bidirectional() ? "bidirectional" : "unidirectional",
        a.embed(), a.hidden(), a.pooling().id(), a.dropout()));
    b.append("classes       ").append(c.classes().size()).append(": ").append(String.join(", ", c.classes())).append('\n');
    b.append("tokenizer     ").append(c.tokenizer()).append(", vocabulary ").append(c.vocabulary().size()).append('\n');
    b.append(ModelInfo.parameterTable(shapes, c.parameterCount()));
    b.append(ModelInfo.history(c.config()));
    System.out.print(b);
    return 0;
  }
}
