import java.nio.file.Path;
import org.rnn4j.classify.ClassifierTrainer;
import org.rnn4j.classify.TrainingConfig;
import org.rnn4j.nn.CellType;
import org.rnn4j.train.TrainingControl;
import org.rnn4j.train.TrainingListener;

/**
 * Trains the lesson's classifier as `rnn4j train --seed S --cell C` does and prints the loss of every
 * training step, stopping after STEPS steps. Usage: java StepLosses.java STEPS DATA_DIR CELL SEED
 */
public class StepLosses {
  public static void main(String[] args) throws Exception {
    int steps = Integer.parseInt(args[0]);
    Path data = Path.of(args[1], "split");
    TrainingControl[] control = new TrainingControl[1];
    TrainingListener printer = new TrainingListener() {
      int step;
      double lossSum;
      long samples;

      @Override
      public void batchFinished(int epoch, long done, long total, double meanLoss, double accuracy) {
        double sum = meanLoss * done; // the trainer reports the running mean over the epoch
        System.out.printf("%d %.7f%n", step, (sum - lossSum) / (done - samples));
        lossSum = sum;
        samples = done;
        if (++step >= steps) {
          control[0].requestStop();
        }
      }
    };
    control[0] = TrainingControl.of(printer).overwrite(true).threads(2);
    TrainingConfig config = TrainingConfig.builder().data(data.resolve("train.csv")).valid(data.resolve("eval.csv"))
        .cell(CellType.parse(args[2])).seed(Long.parseLong(args[3])).epochs(1 + steps / 1006).build();
    Path out = java.nio.file.Files.createTempDirectory("rnn4j-steps");
    ClassifierTrainer.train(config, out.resolve("model"), control[0]);
  }
}
