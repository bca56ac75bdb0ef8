package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.io.Json;
import org.rnn4j.text.ParallelText;
import org.rnn4j.translate.DecodeOptions;
import org.rnn4j.translate.Evaluation;
import org.rnn4j.translate.Translator;
import org.rnn4j.translate.TranslatorTrainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "eval-seq2seq", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Evaluate a translation model on sentence pairs: BLEU on the model's tokens (as torch_seq2seq.py,",
        "sacreBLEU tokenize=\"none\"), BLEU with the 13a tokenizer on detokenized output against the raw",
        "references, and the teacher-forced loss and token accuracy."})
final class EvalSeq2SeqCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
  Path model;
  @Option(names = "--data", paramLabel = "FILE", description = "Pairs: TSV or CSV with a header.")
  Path data;
  @Option(names = "--source-file", paramLabel = "FILE", description = "Instead of --data: source sentences, one per line.")
  Path sourceFile;
  @Option(names = "--target-file", paramLabel = "FILE", description = "Their reference translations, line by line.")
  Path targetFile;
  @Option(names = "--source-column", defaultValue = "source", description = "Source column (default: ${DEFAULT-VALUE}).")
  String sourceColumn;
  @Option(names = "--target-column", defaultValue = "target", description = "Target column (default: ${DEFAULT-VALUE}).")
  String targetColumn;
  @CommandLine.Mixin
  DecodeFlags decode;
  @Option(names = "--threads", description = "Worker threads, 1..1024 (default: all cores).")
  Integer threads;
  @Option(names = "--repeats", defaultValue = "1", paramLabel = "N", description = "Then translate the sources N more "
      + "times and report the fastest, for benchmarks (default: ${DEFAULT-VALUE}).")
  int repeats;
  @Option(names = "--json", description = "Print one JSON object (bleu, bleu_13a, sentences, loss, token_accuracy).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Commands.threads(threads);
    if (repeats < 1 || repeats > 1000) {
      throw new UsageException("--repeats must be in 1..1000, got " + repeats);
    }
    boolean files = sourceFile != null || targetFile != null;
    if (files && (sourceFile == null || targetFile == null)) {
      throw new UsageException("--source-file and --target-file go together");
    }
    if (files == (data != null)) {
      throw new UsageException(files ? "give either --data or --source-file and --target-file, not both"
          : "--data (or --source-file and --target-file) is required");
    }
    String dataName = files ? sourceFile + " + " + targetFile : data.toString();
    DecodeOptions options = decode.options();
    Translator t = Commands.loadTranslator(model);
    long start = System.nanoTime();
    Evaluation e = files ? TranslatorTrainer.evaluateParallel(t, sourceFile, targetFile, options)
        : TranslatorTrainer.evaluate(t, data, sourceColumn, targetColumn, options);
    double seconds = (System.nanoTime() - start) / 1e9;
    // The translation alone, after the evaluation warmed the JIT: what a batch job pays per pass.
    List<String> sources = new ArrayList<>();
    for (ParallelText.Pair p : files ? ParallelText.readParallel(sourceFile, targetFile)
        : ParallelText.readTable(data, sourceColumn, targetColumn)) {
      sources.add(p.source());
    }
    double translateSeconds = Double.POSITIVE_INFINITY;
    for (int r = 0; r < repeats; r++) {
      long t0 = System.nanoTime();
      t.translate(sources, options);
      translateSeconds = Math.min(translateSeconds, (System.nanoTime() - t0) / 1e9);
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", model.toString());
      m.put("data", dataName);
      m.put("bleu", e.bleu());
      m.put("bleu_13a", e.bleu13a());
      m.put("sentences", e.sentences());
      m.put("loss", e.loss());
      m.put("token_accuracy", e.tokenAccuracy());
      m.put("truncated", e.truncated());
      m.put("beam", options.beam());
      m.put("seconds", seconds);
      m.put("translate_seconds", translateSeconds);
      m.put("sentences_per_s", e.sentences() / translateSeconds);
      System.out.println(Json.write(m));
    } else {
      System.out.printf(Locale.ROOT, "model %s on %s (%,d sentences, %s)%nBLEU %.2f (13a on detokenized text: %.2f)"
              + ", loss %.4f, token accuracy %.4f%n", model, dataName, e.sentences(),
          options.beam() == 1 ? "greedy" : "beam " + options.beam(), e.bleu(), e.bleu13a(), e.loss(), e.tokenAccuracy());
      System.out.printf(Locale.ROOT, "translating the sources alone: %.3f s (%.0f sentences/s)%n", translateSeconds,
          e.sentences() / translateSeconds);
      if (e.truncated() > 0) {
        System.out.printf(Locale.ROOT, "%,d source(s) longer than the model's %d tokens were cut%n",
            e.truncated(), t.maxLength());
      }
    }
    return 0;
  }
}
