package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.classify.Classifier;
import org.rnn4j.lm.LanguageModel;
import org.rnn4j.persist.Checkpoint;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.random.Rng;

/**
 * Training in a separate JVM, killed with SIGKILL at random moments again and again (during
 * batches, evaluation, model commits and checkpoint writes alike), then resumed: after every kill
 * the checkpoint and the model directory on disk load, and the chain of resumed runs ends with
 * exactly the weights of an uninterrupted run. Also SIGTERM and Ctrl-C (SIGINT): a checkpoint, exit code 130
 * and the command that resumes.
 */
class CrashResumeTest {
  @TempDir
  static Path dir;
  static Path trainCsv;
  static Path validCsv;
  static Path text;

  @BeforeAll
  static void data() throws IOException {
    trainCsv = dir.resolve("train.csv");
    validCsv = dir.resolve("valid.csv");
    Files.writeString(trainCsv, CliTest.corpus(2000, 1));
    Files.writeString(validCsv, CliTest.corpus(300, 2));
    text = dir.resolve("text.txt");
    StringBuilder b = new StringBuilder();
    Rng r = new Rng(5);
    String[] words = {"call me", "ishmael", "some years ago", "never mind", "how long", "precisely"};
    for (int i = 0; i < 6000; i++) {
      b.append(words[r.nextInt(words.length)]).append(i % 9 == 8 ? ".\n" : " ");
    }
    Files.writeString(text, b.toString());
  }

  private static List<String> classifierArgs(Path out) {
    return List.of("train", "--data", trainCsv.toString(), "--valid", validCsv.toString(), "--out", out.toString(),
        "--epochs", "8", "--embed", "16", "--hidden", "24", "--cell", "gru", "--layers", "2", "--dropout", "0.1",
        "--lr", "0.005", "--threads", "2", "--checkpoint-seconds", "1");
  }

  private static List<String> lmArgs(Path out) {
    return List.of("train-lm", "--data", text.toString(), "--out", out.toString(), "--epochs", "6", "--embed", "16",
        "--hidden", "48", "--layers", "2", "--dropout", "0.1", "--seq-length", "32", "--batch", "16",
        "--threads", "2", "--checkpoint-seconds", "1", "--sample-length", "30");
  }

  @Test
  void train_killedAtRandomMoments_resumesToIdenticalWeights() throws Exception {
    killAndResume(CrashResumeTest::classifierArgs, "train", out -> Classifier.load(out));
  }

  @Test
  void trainLm_killedAtRandomMoments_resumesToIdenticalWeights() throws Exception {
    killAndResume(CrashResumeTest::lmArgs, "train-lm", out -> LanguageModel.load(out));
  }

  interface Args {
    List<String> of(Path out);
  }

  interface Loader {
    void load(Path out) throws IOException;
  }

  private void killAndResume(Args args, String command, Loader loader) throws Exception {
    Path reference = dir.resolve(command + "-reference");
    CliRunner ref = CliRunner.run(args.of(reference).toArray(new String[0]));
    assertEquals(0, ref.code, ref.toString());

    Path out = dir.resolve(command + "-killed");
    Rng rng = new Rng(command.hashCode());
    int kills = 0;
    for (int round = 0; round < 10; round++) {
      Process p = start(args, out, command);
      long delay = 400 + rng.nextInt(2600);
      if (p.waitFor(delay, TimeUnit.MILLISECONDS)) {
        assertEquals(0, p.exitValue(), "finished before the kill: " + Files.readString(log(out)));
        break;
      }
      p.destroyForcibly().waitFor();
      kills++;
      // Whatever the moment of the kill, what is on disk is whole.
      Path ck = out.resolve(Checkpoint.FILE);
      if (Files.exists(ck)) {
        Checkpoint.read(ck);
      }
      if (Files.exists(out.resolve(ModelDirectory.CONFIG))) {
        loader.load(out);
      }
    }
    Process last = start(args, out, command);
    assertTrue(last.waitFor(120, TimeUnit.SECONDS), "the final resume did not finish");
    assertEquals(0, last.exitValue(), Files.readString(log(out)));
    assertTrue(kills >= 3, "only " + kills + " kills landed; make the run longer");
    System.out.println(command + ": killed " + kills + " times, then resumed to the end");
    assertArrayEquals(Files.readAllBytes(reference.resolve(ModelDirectory.WEIGHTS)),
        Files.readAllBytes(out.resolve(ModelDirectory.WEIGHTS)),
        "model.safetensors after " + kills + " kills differs from the uninterrupted run");
    assertEquals(Files.readAllLines(reference.resolve(ModelDirectory.METRICS)).size(),
        Files.readAllLines(out.resolve(ModelDirectory.METRICS)).size());
  }

  @Test
  void train_sigterm_checkpointsAndTellsHowToResume() throws Exception {
    stopSignal(CrashResumeTest::classifierArgs, "train", "epoch 1/8", "TERM");
  }

  @Test
  void trainLm_sigterm_checkpointsAndTellsHowToResume() throws Exception {
    stopSignal(CrashResumeTest::lmArgs, "train-lm", "epoch 1/6", "TERM");
  }

  /**
   * Ctrl-C. A process started in the background by a script inherits SIGINT as ignored (POSIX), and
   * so do its children; the JVM then rightly leaves it ignored, and there is nothing to test.
   */
  @Test
  void trainLm_sigint_checkpointsAndTellsHowToResume() throws Exception {
    Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored in this process tree (started in the background)");
    stopSignal(CrashResumeTest::lmArgs, "train-lm", "epoch 1/6", "INT");
  }

  /** Bit 2 (SIGINT) of SigIgn in /proc/self/status. */
  private static boolean sigintIgnored() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return false;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
      }
    }
    return false;
  }

  private void stopSignal(Args args, String command, String progress, String signal) throws Exception {
    Path reference = dir.resolve(command + "-" + signal + "-reference");
    CliRunner ref = CliRunner.run(args.of(reference).toArray(new String[0]));
    assertEquals(0, ref.code, ref.toString());
    Path out = dir.resolve(command + "-" + signal);
    Process p = start(args, out, command);
    // Wait for the first progress line, so that the signal handler is installed.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(log(out)).contains(progress) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String err = Files.readString(log(out));
    assertEquals(Main.INTERRUPTED, p.exitValue(), err);
    assertTrue(err.contains("stopped: checkpoint written to " + out.resolve(Checkpoint.FILE)), err);
    assertTrue(err.contains("rnn4j " + command + ": interrupted; continue with: ./rnn4j " + command + " --resume " + out),
        err);
    CliRunner resumed = CliRunner.run(command, "--resume", out.toString());
    assertEquals(0, resumed.code, resumed.toString());
    assertArrayEquals(Files.readAllBytes(reference.resolve(ModelDirectory.WEIGHTS)),
        Files.readAllBytes(out.resolve(ModelDirectory.WEIGHTS)));
  }

  private static Path log(Path out) {
    return out.resolveSibling(out.getFileName() + ".log");
  }

  /** A fresh run, or --resume once a checkpoint exists, in its own JVM. */
  private static Process start(Args args, Path out, String command) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("--add-modules");
    cmd.add("jdk.incubator.vector");
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    if (Files.exists(out.resolve(Checkpoint.FILE))) {
      cmd.addAll(List.of(command, "--resume", out.toString()));
    } else {
      cmd.addAll(args.of(out));
      cmd.add("--overwrite");
    }
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log(out).toFile())).start();
  }
}
