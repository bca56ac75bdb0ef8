import java.util.Arrays;
import java.util.Random;
import org.rnn4j.math.Parallel;
import org.rnn4j.network.ClassifierNet;
import org.rnn4j.network.NetConfig;
import org.rnn4j.nn.CellType;
import org.rnn4j.random.TorchGenerator;

/**
 * W1's inference forward (LSTM, embed 64, hidden 32, vocabulary 20,000, T 64) in one or more threads of
 * their own, each on its own workspace and rows, the pool at {@code POOL} threads: tokens/s per thread and
 * in total. Run it in several processes: on JDK 17 and 25 some processes run the activations at a third
 * of the speed for their whole life, because C2 left a Vector API store as a call into its Java fallback
 * (see BENCHMARKS.md, "Processes that measure the JIT"). Add
 * {@code -XX:StartFlightRecording=filename=p.jfr,settings=profile} to see {@code FloatVector.intoArray}
 * on top of a slow process's profile, or {@code -XX:+UnlockDiagnosticVMOptions -XX:+PrintIntrinsics} to
 * see {@code VectorSupport::store ... failed to inline (intrinsic)}.
 *
 * <p>Run (after {@code mvn -o -q compile -pl rnn4j-core}):
 * {@code java --add-modules jdk.incubator.vector -cp rnn4j-core/target/classes bench/probes/JitFallbackProbe.java
 * THREADS BATCH [POOL]}, e.g. {@code 1 16} (one loop of 16 rows) or {@code 2 8} (two independent loops of 8).
 */
public class JitFallbackProbe {
  public static void main(String[] args) throws InterruptedException {
    int threads = Integer.parseInt(args[0]);
    int batch = Integer.parseInt(args[1]);
    Parallel.setThreads(args.length > 2 ? Integer.parseInt(args[2]) : 1);
    int vocabulary = 20_000;
    int t = 64;
    ClassifierNet net = new ClassifierNet(NetConfig.builder().cell(CellType.LSTM).vocabulary(vocabulary).embed(64)
        .hidden(32).classes(4).build());
    net.initialize(TorchGenerator.seeded(1));
    double[] rate = new double[threads];
    Thread[] workers = new Thread[threads];
    for (int i = 0; i < threads; i++) {
      int id = i;
      workers[i] = new Thread(() -> {
        ClassifierNet.Workspace ws = net.newWorkspace();
        Random r = new Random(id);
        int[][] tokens = new int[16][batch * t];
        for (int[] row : tokens) {
          for (int j = 0; j < row.length; j++) {
            row[j] = r.nextInt(vocabulary);
          }
        }
        int[] lengths = new int[batch];
        Arrays.fill(lengths, t);
        for (int j = 0; j < 15_000; j++) {
          net.infer(ws, tokens[j & 15], lengths, t);
        }
        int calls = 20_000;
        long t0 = System.nanoTime();
        for (int j = 0; j < calls; j++) {
          net.infer(ws, tokens[j & 15], lengths, t);
        }
        rate[id] = (double) calls * batch * t / ((System.nanoTime() - t0) / 1e9);
      });
    }
    for (Thread w : workers) {
      w.start();
    }
    for (Thread w : workers) {
      w.join();
    }
    System.out.printf("threads %d, batch %d: %.2fM tokens/s in total, per thread %s%n", threads, batch,
        Arrays.stream(rate).sum() / 1e6, Arrays.toString(Arrays.stream(rate).map(x -> Math.round(x / 1e4) / 100.0).toArray()));
  }
}
