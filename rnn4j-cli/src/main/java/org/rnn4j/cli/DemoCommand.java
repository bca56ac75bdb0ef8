package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.classify.Classifier;
import org.rnn4j.classify.ClassifierTrainer;
import org.rnn4j.classify.Evaluation;
import org.rnn4j.classify.Prediction;
import org.rnn4j.classify.TrainingConfig;
import org.rnn4j.nn.CellType;
import org.rnn4j.text.DataReader;
import org.rnn4j.train.TrainingControl;
import org.rnn4j.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Train the lesson's LSTM on AG News, evaluate it and show a few predictions.",
        "Finds the data in --data, $RNN4J_DATA, ../shared/data/ag_news or ~/.cache/rnn4j, else downloads it."})
final class DemoCommand implements Callable<Integer> {
  static final List<String> HEADLINES = List.of(
      "Oil prices climb as OPEC signals deeper cuts; shares of energy companies rise on Wall Street",
      "Striker scores twice as the home side wins the league title with two games to spare",
      "New chip from Intel promises faster laptops and longer battery life, analysts say",
      "UN Security Council meets after clashes on the border leave dozens dead",
      "Astronomers find water vapour in the atmosphere of a distant planet");

  @Option(names = "--data", paramLabel = "DIR", description = "Directory holding AG News (split/ or train.csv + test.csv).")
  Path data;
  @Option(names = "--out", defaultValue = "runs/demo", paramLabel = "DIR", description = "Where to write the model (default: ${DEFAULT-VALUE}).")
  Path out;
  @Option(names = "--epochs", description = "Epochs (default: 5 on the lesson's 16k split, 1 on the full 120k train.csv).")
  Integer epochs;
  @Option(names = "--cell", defaultValue = "lstm", description = "rnn, lstm or gru (default: ${DEFAULT-VALUE}).")
  String cell;
  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;
  @Option(names = "--threads", description = "Worker threads, 1..1024 (default: all cores).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    int threadCount = Commands.threadCount(threads); // before anything is printed
    AgNewsData.Located d = AgNewsData.locate(data, System.err::println);
    boolean full = d.train.getFileName().toString().equals("train.csv") && !d.train.getParent().getFileName().toString().equals("split");
    int e = epochs != null ? epochs : full ? 1 : 5;
    System.out.printf(Locale.ROOT, "AG News from %s (%s)%ntraining the lesson's %s on %s, validating on %s, %d epoch%s%n",
        d.dir, d.how, cell.toUpperCase(Locale.ROOT), d.train, d.eval, e, e == 1 ? "" : "s");
    TrainingConfig cfg = TrainingConfig.builder().data(d.train).valid(d.eval)
        .cell(CellType.parse(cell)).epochs(e).seed(seed).threads(threadCount)
        .build();
    ProgressDisplay progress = new ProgressDisplay(System.out, System.err, false, "samples");
    TrainingControl control = TrainingControl.of(progress).overwrite(true);
    Interrupts.stopOnInterrupt(control);
    long t0 = System.nanoTime();
    TrainingResult r = ClassifierTrainer.train(cfg, out, control);
    double secs = (System.nanoTime() - t0) / 1e9;
    if (r.interrupted()) {
      System.err.println("rnn4j demo: interrupted; continue with: ./rnn4j train --resume " + out);
      return Main.INTERRUPTED;
    }
    Classifier c = Classifier.load(out);
    Evaluation ev = c.evaluate(DataReader.read(d.eval, null, new DataReader.Options()).examples());
    System.out.printf(Locale.ROOT, "%ntrained in %.0f s; best epoch %d. Evaluation of %s on %s:%n", secs,
        r.best().epoch(), out, d.eval);
    System.out.print(ev.report());
    System.out.println("\npredictions:");
    List<Prediction> ps = c.predict(HEADLINES);
    for (int i = 0; i < ps.size(); i++) {
      System.out.printf(Locale.ROOT, "  %-9s %.2f  %s%n", ps.get(i).label(), ps.get(i).probability(ps.get(i).label()),
          HEADLINES.get(i));
    }
    System.out.printf(Locale.ROOT, "%ntry: ./rnn4j predict --model %s \"your headline\"%n", out);
    return 0;
  }
}
