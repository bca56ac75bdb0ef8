package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnn4j.classify.Classifier;
import org.rnn4j.classify.Evaluation;
import org.rnn4j.io.Json;
import org.rnn4j.text.DataException;
import org.rnn4j.text.DataFormat;
import org.rnn4j.text.DataReader;
import org.rnn4j.text.LabeledText;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "eval", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Evaluate a classifier on labelled data: accuracy, macro-F1, per-class precision/recall/F1, confusion matrix.")
final class EvalCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
  Path model;
  @Option(names = "--data", required = true, paramLabel = "FILE", description = "Labelled data.")
  Path data;
  @Option(names = "--format", paramLabel = "FMT", description = "agnews, csv, tsv or jsonl (detected when omitted).")
  String format;
  @Option(names = "--label-column", defaultValue = "label", description = "Label column or key (default: ${DEFAULT-VALUE}).")
  String labelColumn;
  @Option(names = "--text-column", defaultValue = "text", description = "Text column or key (default: ${DEFAULT-VALUE}).")
  String textColumn;
  @Option(names = "--skip-bad-rows", description = "Skip malformed rows (and report how many) instead of stopping.")
  boolean skipBadRows;
  @CommandLine.Mixin
  WeightsFlag weights;
  @Option(names = "--threads", description = "Worker threads, 1..1024 (default: all cores).")
  Integer threads;
  @Option(names = "--json", description = "Print one JSON object (accuracy, macro_f1, n, per_class, confusion_matrix).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Commands.threads(threads);
    Classifier c = Classifier.load(model, weights.precision);
    DataFormat fmt = format == null ? null : DataFormat.parse(format);
    DataReader.Result r = DataReader.read(data, fmt,
        new DataReader.Options().labelColumn(labelColumn).textColumn(textColumn).skipBadRows(skipBadRows));
    List<LabeledText> examples = r.examples();
    if (r.classNames() == null && DataFormat.AGNEWS.equals(fmt == null ? DataFormat.detect(data) : fmt)) {
      examples = numberedToNames(examples, c.classes());
    }
    Evaluation e;
    try {
      e = c.evaluate(examples);
    } catch (IllegalArgumentException ex) {
      throw new DataException(data, 0, ex.getMessage());
    }
    if (json) {
      java.util.Map<String, Object> m = e.toJson();
      m.put("model", model.toString());
      m.put("data", data.toString());
      m.put("skipped_rows", r.skipped());
      System.out.println(Json.write(m));
    } else {
      System.out.println("model " + model + " on " + data
          + (r.skipped() > 0 ? " (" + r.skipped() + " bad rows skipped)" : ""));
      System.out.print(e.report());
    }
    return 0;
  }

  /** AG News files without classes.txt say 1..N; those are the model's classes in order. */
  private static List<LabeledText> numberedToNames(List<LabeledText> in, List<String> classes) throws DataException {
    List<LabeledText> out = new ArrayList<>(in.size());
    for (LabeledText e : in) {
      int k = Integer.parseInt(e.label());
      if (k < 1 || k > classes.size()) {
        out.add(e); // reported by evaluate() as an unknown label
      } else {
        out.add(new LabeledText(classes.get(k - 1), e.text(), e.line()));
      }
    }
    return out;
  }
}
