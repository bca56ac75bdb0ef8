package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.io.Json;
import org.rnn4j.lm.LanguageModel;
import org.rnn4j.lm.LanguageModelEvaluation;
import org.rnn4j.text.DataException;
import org.rnn4j.text.TextFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "eval-lm", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Evaluate a language model on a text: loss in nats per token and bits per character.",
        "Tokens the model never saw count as <unk> and are part of the loss."})
final class EvalLmCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
  Path model;
  @Option(names = "--data", required = true, paramLabel = "FILE", description = "Text to evaluate (UTF-8).")
  Path data;
  @Option(names = "--threads", description = "Worker threads, 1..1024 (default: all cores).")
  Integer threads;
  @Option(names = "--json", description = "Print one JSON object (loss, bits_per_char, chars, ...).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Commands.threads(threads);
    LanguageModel lm = Commands.loadLanguageModel(model);
    String text = TextFile.read(data);
    LanguageModelEvaluation e;
    try {
      e = lm.evaluate(text);
    } catch (IllegalArgumentException ex) {
      throw new DataException(data, 0, ex.getMessage());
    }
    if (json) {
      Map<String, Object> m = e.toJson();
      m.put("model", model.toString());
      m.put("data", data.toString());
      System.out.println(Json.write(m));
    } else {
      System.out.printf(Locale.ROOT, "model %s on %s%nloss %.4f nats/token, %.4f bits/char, perplexity %.2f"
              + " over %,d chars (%,d tokens, %,d unknown)%n", model, data, e.loss(), e.bitsPerChar(),
          e.perplexity(), e.chars(), e.tokens(), e.unknown());
    }
    return 0;
  }
}
