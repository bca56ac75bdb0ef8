package org.rnn4j.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnn4j.io.AtomicFiles;
import org.rnn4j.io.Json;
import org.rnn4j.translate.AttentionMap;
import org.rnn4j.translate.DecodeOptions;
import org.rnn4j.translate.Translator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "translate", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Translate sentences with a translation model: the TEXT arguments, or one sentence per line of stdin.",
        "Prints one translation per line; --json prints the tokens, the score and the attention matrix."})
final class TranslateCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
  Path model;
  @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Sentences to translate (default: read stdin).")
  List<String> texts = new ArrayList<>();
  @CommandLine.Mixin
  DecodeFlags decode;
  @Option(names = "--attention-png", paramLabel = "FILE", description = "Draw the attention heat map of the first sentence into FILE.")
  Path attentionPng;
  @Option(names = "--threads", description = "Worker threads, 1..1024 (default: all cores).")
  Integer threads;
  @Option(names = "--json", description = "One JSON object per sentence: translation, tokens, source tokens, score, attention.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Commands.threads(threads);
    DecodeOptions options = decode.options();
    List<String> input = texts;
    int firstLine = 0;
    if (input.isEmpty()) {
      input = new ArrayList<>();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        input.add(l);
      }
      firstLine = 1;
    }
    for (int i = 0; i < input.size(); i++) {
      if (input.get(i).isBlank()) {
        throw new UsageException((firstLine == 1 ? "stdin line " : "TEXT ") + (i + 1) + " is empty");
      }
    }
    Translator t = Commands.loadTranslator(model);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    List<Translator.Translation> done = t.translate(input, options);
    int truncated = 0;
    for (Translator.Translation tr : done) {
      truncated += tr.truncated() ? 1 : 0;
      if (json) {
        out.println(Json.write(tr.toJson(true)));
      } else {
        out.println(tr.text());
      }
    }
    out.flush();
    if (truncated > 0) {
      System.err.printf("rnn4j translate: %d source(s) longer than the model's %d tokens were cut%n", truncated,
          t.maxLength());
    }
    if (attentionPng != null && !done.isEmpty()) {
      AtomicFiles.write(attentionPng, AttentionMap.png(done.get(0)));
    }
    return 0;
  }
}
