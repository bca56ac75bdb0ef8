package org.rnn4j.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.classify.Classifier;
import org.rnn4j.classify.Prediction;
import org.rnn4j.io.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "predict", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Predict the class of each text given as an argument, or of each line of stdin.")
final class PredictCommand implements Callable<Integer> {
  private static final int CHUNK = 256;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
  Path model;
  @Option(names = "--json", description = "Print one JSON object per text: {\"label\": ..., \"probabilities\": {...}}.")
  boolean json;
  @CommandLine.Mixin
  WeightsFlag weights;
  @Option(names = "--threads", description = "Worker threads, 1..1024 (default: all cores).")
  Integer threads;
  @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts to classify (default: one per line on stdin).")
  List<String> texts;

  @Override
  public Integer call() throws Exception {
    Commands.threads(threads);
    Classifier c = Classifier.load(model, weights.precision);
    if (texts != null && !texts.isEmpty()) {
      emit(c, texts, 1, "argument");
      return 0;
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    List<String> chunk = new ArrayList<>();
    int first = 1;
    int n = 0;
    for (String line; (line = in.readLine()) != null; ) {
      chunk.add(line);
      n++;
      if (chunk.size() == CHUNK) {
        emit(c, chunk, first, "stdin line");
        first += chunk.size();
        chunk.clear();
      }
    }
    emit(c, chunk, first, "stdin line");
    if (n == 0) {
      throw new UsageException("no texts: give them as arguments or one per line on stdin");
    }
    return 0;
  }

  private void emit(Classifier c, List<String> batch, int firstIndex, String what) {
    if (batch.isEmpty()) {
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      try {
        c.encode(batch.get(i));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(what + " " + (firstIndex + i) + ": " + e.getMessage());
      }
    }
    List<Prediction> ps = c.predict(batch);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < ps.size(); i++) {
      Prediction p = ps.get(i);
      if (json) {
        b.append(Json.write(p.toJson())).append('\n');
      } else {
        b.append(String.format(Locale.ROOT, "%-12s %.3f  ", p.label(), p.probability(p.label())));
        float[] pr = p.probabilities();
        List<String> cls = c.classes();
        for (int k = 0; k < cls.size(); k++) {
          if (k != p.index()) {
            b.append(String.format(Locale.ROOT, " %s %.3f", cls.get(k), pr[k]));
          }
        }
        String t = batch.get(i).replaceAll("\\s+", " ").strip();
        b.append("  | ").append(t.length() > 70 ? t.substring(0, 67) + "..." : t).append('\n');
      }
    }
    System.out.print(b);
    System.out.flush();
  }
}
