package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.classify.Classifier;
import org.rnn4j.lm.LanguageModel;
import org.rnn4j.network.NetConfig;
import org.rnn4j.network.Seq2SeqConfig;
import org.rnn4j.translate.Translator;
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
    if (Translator.TASK.equals(ModelInfo.taskOf(model).get("task"))) {
      Translator t = Commands.loadTranslator(model);
      Seq2SeqConfig a = t.config().translation();
      ModelInfo info = new ModelInfo(model, t.config(), t.tokenizer().name(), t.sourceVocabulary().size(),
          t.parameterShapes(), t.parameterCount());
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("target_vocabulary", t.targetVocabulary().size());
      extra.put("max_length", t.config().maxLength());
      System.out.print(json ? info.json(extra) : info.text("translation", String.format(Locale.ROOT,
          "%s encoder-decoder, %d layer%s, %s encoder, %s attention, embedding %d, hidden %d, dropout %s",
          a.cell().id(), a.layers(), a.layers() == 1 ? "" : "s", a.bidirectional() ? "bidirectional" : "unidirectional",
          a.attention().id(), a.embed(), a.hidden(), a.dropout()),
          String.format(Locale.ROOT, "target        vocabulary %d; sources cut to %d tokens%n",
              t.targetVocabulary().size(), t.config().maxLength())));
      return 0;
    }
    if ("language_model".equals(ModelInfo.taskOf(model).get("task"))) {
      LanguageModel lm = LanguageModel.load(model);
      NetConfig a = lm.architecture();
      ModelInfo info = new ModelInfo(model, lm.config(), lm.tokenizer().name(), lm.vocabulary().size(),
          lm.parameterShapes(), lm.parameterCount());
      System.out.print(json ? info.json(Map.of()) : info.text("language model", String.format(Locale.ROOT,
          "%s, %d layer%s, embedding %d, hidden %d, dropout %s", a.cell().id(), a.layers(), a.layers() == 1 ? "" : "s",
          a.embed(), a.hidden(), a.dropout()), ""));
      return 0;
    }
    Classifier c = Classifier.load(model);
    NetConfig a = c.architecture();
    ModelInfo info = new ModelInfo(model, c.config(), c.tokenizer(), c.vocabulary().size(), c.parameterShapes(),
        c.parameterCount());
    Map<String, Object> classes = new LinkedHashMap<>();
    classes.put("classes", c.classes());
    System.out.print(json ? info.json(classes) : info.text("text classification", String.format(Locale.ROOT,
        "%s, %d layer%s, %s, embedding %d, hidden %d, pooling %s, dropout %s", a.cell().id(), a.layers(),
        a.layers() == 1 ? "" : "s", a.bidirectional() ? "bidirectional" : "unidirectional", a.embed(), a.hidden(),
        a.pooling().id(), a.dropout()),
        "classes       " + c.classes().size() + ": " + String.join(", ", c.classes()) + "\n"));
    return 0;
  }
}
